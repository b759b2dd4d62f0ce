using CnnLens.Graph;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>docs/operators.md lists exactly the operators the registry implements (the doc stays true).</summary>
public class OperatorDocumentationTests
{
    [Fact]
    public void Every_registered_operator_is_documented_and_every_documented_one_exists()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "operators.md"));
        string table = doc[..doc.IndexOf("At load,", StringComparison.Ordinal)];
        var documented = System.Text.RegularExpressions.Regex.Matches(table, "`([A-Z][A-Za-z]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        documented.ExceptWith(["SAME_UPPER", "SAME_LOWER", "VALID", "Indices", "C"]);
        Assert.Empty(OperatorRegistry.SupportedOpTypes.Except(documented));
        Assert.Empty(documented.Except(OperatorRegistry.SupportedOpTypes));
    }
}
