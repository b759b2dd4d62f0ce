using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

public class LayerNamesTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Relu", "relu", 0)]
    [InlineData("", "abc", 3)]
    public void Distance_is_case_insensitive_levenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, LayerNames.Distance(a, b));

    [Theory]
    [InlineData("abc", "xxabcxx", 0)]
    [InlineData("layer4.1.relu", "/layer4/layer4.1/relu/Relu_output_0", 0)] // '.' and '/' alike
    [InlineData("layer4.1.relx", "/layer4/layer4.1/relu/Relu_output_0", 1)]
    [InlineData("xyz", "/relu", 3)] // no letter in common: three substitutions anywhere
    public void Inner_distance_matches_anywhere_inside_the_name(string query, string name, int expected) =>
        Assert.Equal(expected, LayerNames.InnerDistance(query, name));

    [Fact]
    public void A_pytorch_module_path_lists_its_onnx_tensors_first()
    {
        var model = Model.Load(RepositoryPaths.Fixture("engine", "resnet18.onnx"));
        var error = LayerNames.NotFound(model, "layer4.0.relu");
        string message = error.Message;
        int start = message.IndexOf("nearest names: ", StringComparison.Ordinal) + 15, end = message.IndexOf(" (list all", StringComparison.Ordinal);
        var listed = message[start..end].Split(", ");
        Assert.Equal(5, listed.Length);
        // Whole-name edit distance alone ranked "logits" and "/Flatten_output_0" first for such a path.
        Assert.Equal("/layer4/layer4.0/relu/Relu_output_0", listed[0]);
        Assert.Equal("/layer4/layer4.0/relu_1/Relu_output_0", listed[1]);
    }
}
