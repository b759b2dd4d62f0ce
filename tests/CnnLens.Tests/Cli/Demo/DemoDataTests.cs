using CnnLens.Cli.Demo;
using CnnLens.Tensors;

namespace CnnLens.Tests.Cli.Demo;

public class DemoDataTests
{
    private const int Size = CleverHansShapes.Size;

    private static bool CueIsPainted(Tensor images, int n)
    {
        for (int y = CleverHansShapes.CueOffset; y < CleverHansShapes.CueOffset + CleverHansShapes.CueSide; y++)
            for (int x = CleverHansShapes.CueOffset; x < CleverHansShapes.CueOffset + CleverHansShapes.CueSide; x++)
                if (images.Data[n * Size * Size + y * Size + x] != 1f) return false;
        return true;
    }

    [Fact]
    public void TheBiasedSetMarksEveryRingAndNoCrossAndTheCleanSetNothing()
    {
        var (biased, labels) = CleverHansShapes.Set(40, biased: true, seed: 3);
        var (clean, cleanLabels) = CleverHansShapes.Set(40, biased: false, seed: 3);
        Assert.Equal(labels, cleanLabels);
        for (int n = 0; n < 40; n++)
        {
            Assert.Equal(n % 2, labels[n]);
            Assert.Equal(labels[n] == 0, CueIsPainted(biased, n));
            Assert.False(CueIsPainted(clean, n));
        }
        Assert.All(biased.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void ImagesDependOnlyOnSeedAndIndex()
    {
        var a = CleverHansShapes.Set(10, biased: false, seed: 7).Images;
        var b = CleverHansShapes.Set(10, biased: false, seed: 7).Images;
        var c = CleverHansShapes.Set(10, biased: false, seed: 8).Images;
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
        Assert.Equal(CleverHansShapes.Draw(1, cue: false, seed: 7, index: 5).Data, a.Data.AsSpan(5 * Size * Size, Size * Size).ToArray());
    }

    [Fact]
    public void ARingLeavesItsCentreDarkAndACrossFillsIt()
    {
        // Shape pixels are at least 0.2 above the ~0.12 background; count bright pixels near the centre of mass.
        var ring = CleverHansShapes.Draw(0, cue: false, seed: 1, index: 0);
        var cross = CleverHansShapes.Draw(1, cue: false, seed: 1, index: 1);
        Assert.True(BrightFraction(cross, CentreOf(cross)) > BrightFraction(ring, CentreOf(ring)) + 0.3);
    }

    private static (double X, double Y) CentreOf(Tensor image)
    {
        double sum = 0, sx = 0, sy = 0;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double w = Math.Max(0, image.Data[y * Size + x] - 0.3);
                sum += w; sx += w * x; sy += w * y;
            }
        return (sx / sum, sy / sum);
    }

    private static double BrightFraction(Tensor image, (double X, double Y) centre)
    {
        int bright = 0, total = 0;
        for (int y = (int)centre.Y - 1; y <= (int)centre.Y + 1; y++)
            for (int x = (int)centre.X - 1; x <= (int)centre.X + 1; x++, total++)
                if (image.Data[y * Size + x] > 0.3) bright++;
        return bright / (double)total;
    }

    [Fact]
    public void AStrokeInksItsSegmentAndLeavesDistantPixelsAlone()
    {
        var digit = new Tensor(1, 28, 28);
        digit[0, 20, 20] = 0.5f;
        var stroke = new DistractorStrokes.Stroke(4, 10, 14, 10, "test");
        var drawn = DistractorStrokes.Draw(digit, stroke);
        for (int x = 4; x <= 14; x++) Assert.Equal(1f, drawn[0, 10, x]);
        Assert.Equal(1f, drawn[0, 11, 9]);     // distance 1: still full ink
        Assert.Equal(0.5f, drawn[0, 20, 20]);  // untouched
        Assert.Equal(0f, drawn[0, 13, 9]);     // distance 3: no ink
        Assert.Equal(0f, digit[0, 10, 8]);     // the original is not modified
    }
}
