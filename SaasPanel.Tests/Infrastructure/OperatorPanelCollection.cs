namespace SaasPanel.Tests.Infrastructure;

/// <summary>The operator panel's tests share one whole system and one browser; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class OperatorPanelCollection : ICollectionFixture<PanelAppHostFixture>, ICollectionFixture<Chromium>
{
    public const string Name = "operator panel";
}
