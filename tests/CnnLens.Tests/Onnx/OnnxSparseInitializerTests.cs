using CnnLens.Onnx;
using CnnLens.Onnx.Protobuf;
using Google.Protobuf;

namespace CnnLens.Tests.Onnx;

public class OnnxSparseInitializerTests
{
    private static OnnxModel LoadWithSparse(SparseTensorProto sparse)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            OpsetImport = { new OperatorSetIdProto { Version = 13 } },
            Graph = new GraphProto { Name = "g", SparseInitializer = { sparse }, Output = { new ValueInfoProto { Name = "s" } } },
        };
        return OnnxModelReader.Load(model.ToByteArray(), null, "sparse.onnx");
    }

    [Fact]
    public void Linear_indices_scatter_into_a_dense_tensor()
    {
        var sparse = new SparseTensorProto
        {
            Dims = { 2, 3 },
            Values = new TensorProto { Name = "s", DataType = (int)OnnxElementType.Float, Dims = { 2 }, FloatData = { 4f, -1.5f } },
            Indices = new TensorProto { DataType = (int)OnnxElementType.Int64, Dims = { 2 }, Int64Data = { 1, 5 } },
        };
        var tensor = LoadWithSparse(sparse).Graph.Initializers["s"];
        Assert.Equal([2, 3], tensor.ShapeArray);
        Assert.Equal([0f, 4f, 0f, 0f, 0f, -1.5f], tensor.Data);
    }

    [Fact]
    public void Coordinate_indices_scatter_into_a_dense_tensor()
    {
        var sparse = new SparseTensorProto
        {
            Dims = { 2, 3 },
            Values = new TensorProto { Name = "s", DataType = (int)OnnxElementType.Float, Dims = { 2 }, FloatData = { 7f, 2f } },
            Indices = new TensorProto { DataType = (int)OnnxElementType.Int64, Dims = { 2, 2 }, Int64Data = { 1, 0, 0, 2 } },
        };
        Assert.Equal([0f, 0f, 2f, 7f, 0f, 0f], LoadWithSparse(sparse).Graph.Initializers["s"].Data);
    }

    [Fact]
    public void Index_outside_the_shape_is_refused()
    {
        var sparse = new SparseTensorProto
        {
            Dims = { 2, 3 },
            Values = new TensorProto { Name = "s", DataType = (int)OnnxElementType.Float, Dims = { 1 }, FloatData = { 1f } },
            Indices = new TensorProto { DataType = (int)OnnxElementType.Int64, Dims = { 1 }, Int64Data = { 6 } },
        };
        var e = Assert.Throws<ModelLoadException>(() => LoadWithSparse(sparse));
        Assert.Contains("sparse.onnx", e.Message);
        Assert.Contains("outside", e.Message);
    }
}
