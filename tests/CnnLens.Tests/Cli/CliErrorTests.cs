using CnnLens.Onnx;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

/// <summary>Every user error is one line on stderr, exit code 2, no stack trace, and no output file.</summary>
public class CliErrorTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");


    [Fact]
    public void Demo_output_folder_that_cannot_be_created()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("taken"), "a file where the folder should go");
        CliRunner.AssertUserError(CliRunner.Run("demo", "--out", dir.File("taken"), "--quick"), "--out", "taken");
    }

    [Fact]
    public void Missing_model_file()
    {
        using var dir = new TempDirectory();
        CliRunner.AssertUserError(CliRunner.Run("predict", "--model", dir.File("nope.onnx"), "--input", dir.File("x.npy")), "nope.onnx", "does not exist");
    }

    [Fact]
    public void File_that_is_not_onnx()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.onnx"), "this is not a protobuf model, just some text\n");
        CliRunner.AssertUserError(CliRunner.Run("layers", "--model", dir.File("model.onnx")), "model.onnx");
    }

    [Fact]
    public void Truncated_onnx_file()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(LeNet);
        File.WriteAllBytes(dir.File("cut.onnx"), bytes[..(bytes.Length / 2)]);
        CliRunner.AssertUserError(CliRunner.Run("layers", "--model", dir.File("cut.onnx")), "cut.onnx");
    }

    [Fact]
    public void Unsupported_operators_are_all_listed_with_their_node_names_before_running()
    {
        using var dir = new TempDirectory();
        var model = TinyModels.Single("FancyOp", "fancy_1");
        model.Graph.Nodes.Add(new OnnxNode { Name = "weird_2", OpType = "WeirdOp", Inputs = ["y"], Outputs = ["z"] });
        model.Graph.Outputs[0] = new OnnxValueInfo { Name = "z" };
        OnnxModelWriter.Save(model, dir.File("m.onnx"));
        CliRunner.AssertUserError(CliRunner.Run("layers", "--model", dir.File("m.onnx")), "FancyOp", "fancy_1", "WeirdOp", "weird_2");
    }

    [Fact]
    public void Input_whose_shape_does_not_fit_the_model()
    {
        using var dir = new TempDirectory();
        NpyFile.Write(dir.File("x.npy"), new Tensor(1, 3, 28, 28));
        CliRunner.AssertUserError(CliRunner.Run("predict", "--model", LeNet, "--input", dir.File("x.npy"), "--npy", dir.File("out.npy")), "[1,3,28,28]");
        Assert.False(File.Exists(dir.File("out.npy")));
    }

    [Fact]
    public void Model_with_integer_input()
    {
        using var dir = new TempDirectory();
        var model = TinyModels.Single("Relu", "relu");
        model.Graph.Inputs[0] = new OnnxValueInfo { Name = "x", ElementType = OnnxElementType.Int64, Shape = [new(1, null), new(4, null)] };
        OnnxModelWriter.Save(model, dir.File("m.onnx"));
        CliRunner.AssertUserError(CliRunner.Run("layers", "--model", dir.File("m.onnx")), "float32");
    }

    [Fact]
    public void Model_with_two_image_inputs()
    {
        using var dir = new TempDirectory();
        var model = TinyModels.Single("Add", "add", inputs: ["x", "x2"]);
        model.Graph.Inputs.Add(new OnnxValueInfo { Name = "x2", Shape = [new(1, null), new(4, null)] });
        OnnxModelWriter.Save(model, dir.File("m.onnx"));
        CliRunner.AssertUserError(CliRunner.Run("layers", "--model", dir.File("m.onnx")), "2 inputs");
    }

    [Fact]
    public void Input_file_that_is_not_npy()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x.npy"), "hello");
        CliRunner.AssertUserError(CliRunner.Run("predict", "--model", LeNet, "--input", dir.File("x.npy")), "x.npy");
    }

    [Fact]
    public void Unknown_option_and_bad_values()
    {
        CliRunner.AssertUserError(CliRunner.Run("predict", "--model", LeNet, "--frobnicate"));
        CliRunner.AssertUserError(CliRunner.Run("predict", "--model", LeNet, "--input", "x.npy", "--top", "0"), "--top");
        CliRunner.AssertUserError(CliRunner.Run("explain", "--model", LeNet, "--input", "x.npy", "--method", "magic"), "magic", "saliency");
    }

    [Fact]
    public void Bad_neuron_targets()
    {
        string input = RepositoryPaths.Fixture("engine", "lenet_input_b1.npy");
        string[] common = ["explain", "--model", LeNet, "--input", input];
        CliRunner.AssertUserError(CliRunner.Run([.. common, "--method", "saliency", "--target-channel", "1"]), "--target-layer");
        CliRunner.AssertUserError(CliRunner.Run([.. common, "--method", "saliency", "--target-layer", "x"]), "--target-channel");
        CliRunner.AssertUserError(CliRunner.Run([.. common, "--method", "grad-cam", "--target-layer", "x", "--target-channel", "0"]), "grad-cam", "classes only");
        CliRunner.AssertUserError(CliRunner.Run([.. common, "--method", "saliency", "--target", "1", "--target-layer", "x", "--target-channel", "0"]), "give one of them");
        CliRunner.AssertUserError(CliRunner.Run([.. common, "--method", "saliency", "--target-layer", "x", "--target-channel", "0", "--target-position", "3"]), "Y,X");
    }
}
