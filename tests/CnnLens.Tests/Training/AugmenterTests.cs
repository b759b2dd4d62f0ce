using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>Each augmentation does what it says on an image whose every pixel is distinct.</summary>
public class AugmenterTests
{
    private const int Size = 8;

    private static float[] Ramp() => Enumerable.Range(0, Size * Size).Select(i => (i + 1) / 100f).ToArray();

    private static float[] Apply(Augmentation augmentation, float[] source, int index)
    {
        var target = new float[source.Length];
        Augmenter.Apply(augmentation, source, target, 1, Size, Size, seed: 5, epoch: 0, index);
        return target;
    }

    [Fact]
    public void Crop_is_a_shift_of_at_most_an_eighth_of_the_size_with_zero_fill()
    {
        var source = Ramp();
        var shifts = new HashSet<(int, int)>();
        for (int index = 0; index < 40; index++)
        {
            var target = Apply(Augmentation.Crop, source, index);
            // 8 px: pad 1, so dx, dy ∈ {−1, 0, 1}; exactly one of the nine shifts must explain the output.
            var matches = (from dx in new[] { -1, 0, 1 } from dy in new[] { -1, 0, 1 }
                           where Enumerable.Range(0, Size * Size).All(i =>
                           {
                               int x = i % Size + dx, y = i / Size + dy;
                               float expected = x is >= 0 and < Size && y is >= 0 and < Size ? source[y * Size + x] : 0f;
                               return target[i] == expected;
                           })
                           select (dx, dy)).ToList();
            shifts.Add(Assert.Single(matches));
        }
        Assert.True(shifts.Count >= 5, $"only {shifts.Count} different shifts in 40 images");
    }

    [Fact]
    public void Flip_mirrors_rows_about_half_the_time()
    {
        var source = Ramp();
        int flipped = 0;
        for (int index = 0; index < 40; index++)
        {
            var target = Apply(Augmentation.Flip, source, index);
            bool mirrored = Enumerable.Range(0, Size * Size).All(i => target[i] == source[i / Size * Size + (Size - 1 - i % Size)]);
            Assert.True(mirrored || target.SequenceEqual(source));
            if (mirrored) flipped++;
        }
        Assert.InRange(flipped, 10, 30);
    }

    [Fact]
    public void Rotation_keeps_a_centred_disc_close_and_jitter_stays_in_range()
    {
        // A flat image rotates to itself inside the inscribed circle (only corners fill with zero).
        var flat = Enumerable.Repeat(0.5f, Size * Size).ToArray();
        var rotated = Apply(Augmentation.Rotate, flat, 3);
        Assert.Equal(0.5f, rotated[3 * Size + 3], 1e-5f);
        Assert.Equal(0.5f, rotated[4 * Size + 4], 1e-5f);

        var jittered = Apply(Augmentation.Jitter, Ramp(), 4);
        Assert.All(jittered, v => Assert.InRange(v, 0f, 1f));
        Assert.NotEqual(Ramp(), jittered);
    }

    [Fact]
    public void Same_image_index_and_epoch_give_the_same_draw()
    {
        var all = Augmentation.Crop | Augmentation.Flip | Augmentation.Rotate | Augmentation.Jitter;
        Assert.Equal(Apply(all, Ramp(), 9), Apply(all, Ramp(), 9));
        Assert.NotEqual(Apply(all, Ramp(), 9), Apply(all, Ramp(), 10));
    }
}
