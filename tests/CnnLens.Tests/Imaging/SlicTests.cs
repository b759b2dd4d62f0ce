using CnnLens.Imaging.Segmentation;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging;

public class SlicTests
{
    /// <summary>
    /// A 3-channel 40x48 image of six flat blocks whose edges (rows 0|17|40, columns 0|13|30|48) sit
    /// off the SLIC seed grid: block id = (y ≥ 17 ? 3 : 0) + (x ≥ 30 ? 2 : x ≥ 13 ? 1 : 0).
    /// </summary>
    private static (Tensor Image, int[] Blocks) Blocks()
    {
        const int height = 40, width = 48;
        float[][] colours = [[0.9f, 0.1f, 0.1f], [0.1f, 0.8f, 0.2f], [0.2f, 0.2f, 0.9f], [0.9f, 0.9f, 0.1f], [0.5f, 0.1f, 0.6f], [0.1f, 0.6f, 0.7f]];
        var image = new Tensor(3, height, width);
        var blocks = new int[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int block = (y >= 17 ? 3 : 0) + (x >= 30 ? 2 : x >= 13 ? 1 : 0);
                blocks[y * width + x] = block;
                for (int c = 0; c < 3; c++) image[c, y, x] = colours[block][c];
            }
        return (image, blocks);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(20)]
    public void SegmentsFollowTheEdgesOfFlatBlocks(int segments)
    {
        var (image, blocks) = Blocks();
        var (labels, count) = Slic.Segment(image, new SlicOptions { Segments = segments });
        for (int label = 0; label < count; label++)
        {
            var covered = Enumerable.Range(0, labels.Length).Where(p => labels[p] == label).Select(p => blocks[p]).Distinct().ToArray();
            Assert.True(covered.Length == 1, $"segment {label} crosses blocks {string.Join(",", covered)}");
        }
        Assert.InRange(count, 6, 3 * segments); // never fewer segments than blocks, no fragments
    }

    [Fact]
    public void LabelsRunFromZeroAndEverySegmentIsOneConnectedPiece()
    {
        // Smooth noise-free texture with many local colours stresses the orphan merging.
        const int height = 37, width = 53;
        var image = new Tensor(2, height, width);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = MathF.Sin(x * 0.7f) * MathF.Cos(y * 0.45f);
                image[1, y, x] = ((x * 7 + y * 13) % 11) / 11f;
            }
        var (labels, count) = Slic.Segment(image, new SlicOptions { Segments = 30, Compactness = 5 });
        Assert.Equal(Enumerable.Range(0, count), labels.Distinct().Order());
        for (int label = 0; label < count; label++)
        {
            // Flood fill from the segment's first pixel must reach all of its pixels.
            int first = Array.IndexOf(labels, label), reached = 0, total = labels.Count(l => l == label);
            var seen = new bool[labels.Length];
            var stack = new Stack<int>([first]);
            seen[first] = true;
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                reached++;
                int y = p / width, x = p % width;
                foreach (int q in new[] { x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1 })
                    if (q >= 0 && !seen[q] && labels[q] == label)
                    {
                        seen[q] = true;
                        stack.Push(q);
                    }
            }
            Assert.True(reached == total, $"segment {label} has {total} pixels but only {reached} are connected to its first");
        }
        // Raster order of first appearance: the first pixel is segment 0 and new labels appear in increasing order.
        int next = 0;
        foreach (int l in labels)
            if (l == next) next++;
            else Assert.True(l < next, $"label {l} appears before label {next}");
    }

    [Fact]
    public void TheSameImageGivesTheSameSegmentsAndBadOptionsAreClearErrors()
    {
        var (image, _) = Blocks();
        var a = Slic.Segment(image, new SlicOptions { Segments = 12, Compactness = 20 });
        var b = Slic.Segment(image, new SlicOptions { Segments = 12, Compactness = 20 });
        Assert.Equal(a.Labels, b.Labels);
        Assert.Throws<InvalidOptionException>(() => Slic.Segment(image, new SlicOptions { Segments = 0 }));
        Assert.Throws<InvalidOptionException>(() => Slic.Segment(image, new SlicOptions { Compactness = 0 }));
        Assert.Throws<ShapeMismatchException>(() => Slic.Segment(new Tensor(1, 3, 4, 4)));
    }

    [Fact]
    public void AFlatImageIsCutIntoAboutTheRequestedNumberOfCompactSegments()
    {
        // Without colour differences SLIC reduces to its seed grid: 64x64 with 16 segments is a 4x4 grid of 16x16 squares.
        var (labels, count) = Slic.Segment(Tensor.Filled([3, 64, 64], 0.3f), new SlicOptions { Segments = 16 });
        Assert.Equal(16, count);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                Assert.Equal(y / 16 * 4 + x / 16, labels[y * 64 + x]);
    }
}
