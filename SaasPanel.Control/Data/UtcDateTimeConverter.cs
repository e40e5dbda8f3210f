using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SaasPanel.Control.Data;

/// <summary>SQLite keeps no time zone: every timestamp is written as UTC and read back marked as UTC.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
