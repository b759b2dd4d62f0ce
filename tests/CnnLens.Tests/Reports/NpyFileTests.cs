using System.Buffers.Binary;
using System.Text;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Onnx;

namespace CnnLens.Tests.Reports;

/// <summary>.npy fixtures written by numpy (tools/make_onnx_reader_fixtures.py) and hand-built files.</summary>
public class NpyFileTests : ScratchFolderTest
{
    private static readonly string[] ReadableFixtures =
    [
        "f4_v1.npy", "f4_v2.npy", "f4_v3.npy", "f8.npy", "f2.npy", "f4_big_endian.npy",
        "f4_fortran.npy", "i8.npy", "i4.npy", "u1.npy", "b1.npy", "scalar.npy",
    ];

    public static TheoryData<string> FixtureNames() => new(ReadableFixtures);

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Numpy_files_read_to_the_recorded_values(string name)
    {
        var tensor = NpyFile.Read(OnnxFixtures.PathOf(name));
        OnnxFixtures.AssertTensor(OnnxFixtures.Npy(name), tensor, name);
    }

    [Fact]
    public void Every_recorded_npy_fixture_is_covered()
    {
        Assert.Equal(OnnxFixtures.NpyNames.Order(), ReadableFixtures.Order());
    }

    [Fact]
    public void Fortran_order_is_transposed_to_row_major()
    {
        // The fixture stores (i*12 + j*4 + k - 11.5)/3 at [i,j,k], column-major on disk.
        Assert.True(OnnxFixtures.Npy("f4_fortran.npy").GetProperty("fortran_order").GetBoolean());
        var t = NpyFile.Read(OnnxFixtures.PathOf("f4_fortran.npy"));
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal((float)((i * 12 + j * 4 + k - 11.5) / 3.0), t[i, j, k]);
    }

    [Fact]
    public void Scalar_is_rank_zero()
    {
        var t = NpyFile.Read(OnnxFixtures.PathOf("scalar.npy"));
        Assert.Equal(0, t.Rank);
        Assert.Equal(-3.25f, t.Data[0]);
    }

    [Fact]
    public void Written_file_has_the_numpy_layout()
    {
        string path = Path.Combine(TempFolder(), "out.npy");
        NpyFile.Write(path, new Tensor([2, 3], [1f, -2f, 0.5f, 3f, 1e-7f, -0f]));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 24, bytes.Length);
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + 4)));
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new[] { 1, 3, 2, 2 }, "(1, 3, 2, 2)")]
    public void Write_then_read_round_trips(int[] shape, string shapeText)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = Enumerable.Range(0, count).Select(i => i * 0.37f - 1f).ToArray();
        string path = Path.Combine(TempFolder(), "rt.npy");
        NpyFile.Write(path, new Tensor(shape, data));
        Assert.Contains($"'shape': {shapeText}", Encoding.ASCII.GetString(File.ReadAllBytes(path)));
        var back = NpyFile.Read(path);
        Assert.Equal(shape, back.ShapeArray);
        Assert.Equal(data, back.Data);
        Assert.Equal(TensorDataType.Float32, back.DataType);
    }

    [Fact]
    public void Write_replaces_an_existing_file_and_leaves_no_temporary()
    {
        string folder = TempFolder();
        string path = Path.Combine(folder, "x.npy");
        File.WriteAllText(path, "old");
        NpyFile.Write(path, Tensor.Scalar(2f));
        Assert.Equal(2f, NpyFile.Read(path).Data[0]);
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void Write_into_a_missing_folder_creates_nothing()
    {
        string folder = TempFolder();
        string path = Path.Combine(folder, "missing", "x.npy");
        Assert.Throws<DataFormatException>(() => NpyFile.Write(path, Tensor.Scalar(1f)));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData("not_npy.npy", "not a NumPy")]
    [InlineData("truncated.npy", "truncated")]
    [InlineData("complex.npy", "'<c8'")]
    [InlineData("object.npy", "'|O'")]
    public void Bad_files_are_clear_errors(string name, string fragment)
    {
        string path = OnnxFixtures.PathOf(name);
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        string path = Path.Combine(TempFolder(), "nope.npy");
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Truncated_header_is_a_clear_error()
    {
        string path = Path.Combine(TempFolder(), "short.npy");
        File.WriteAllBytes(path, File.ReadAllBytes(OnnxFixtures.PathOf("f4_v1.npy"))[..40]);
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Structured_dtype_is_refused()
    {
        string path = Path.Combine(TempFolder(), "structured.npy");
        string dict = "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }";
        string text = dict.PadRight(117) + "\n";
        using (var stream = File.Create(path))
        {
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)text.Length, 0]);
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Write(new byte[16]);
        }
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains("structured", e.Message);
    }

    /// <summary>Writes the file tools/check_npy_writer_output.py loads with numpy.</summary>
    [Fact]
    public void Writes_the_file_for_the_numpy_check_script()
    {
        var values = Enumerable.Range(0, 24).Select(i => i * 0.5f - 3f).ToArray();
        string path = Path.Combine(AppContext.BaseDirectory, "npy-writer-check.npy");
        NpyFile.Write(path, new Tensor([2, 3, 4], values));
        Assert.Equal(values, NpyFile.Read(path).Data);
    }
}
