using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasPanel.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInThrottleAge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastAttemptAt",
                table: "SignInThrottles",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // A record that blocks now is kept until its block is over; the rest block nothing and are forgotten.
            migrationBuilder.Sql("UPDATE \"SignInThrottles\" SET \"LastAttemptAt\" = \"BlockedUntil\" WHERE \"BlockedUntil\" IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "SignInThrottles");
        }
    }
}
