using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Tests.Imaging.Rendering;

public class ImageGridTests
{
    private static Image Solid(int width, int height, byte value)
    {
        var image = new Image(width, height, 3);
        image.Pixels.AsSpan().Fill(value);
        return image;
    }

    private static Rgb At(Image image, int x, int y) => new(image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    [Fact]
    public void Cells_land_at_padding_plus_pitch_with_borders_around_them()
    {
        var images = Enumerable.Range(0, 5).Select(k => Solid(2, 3, (byte)(10 * (k + 1)))).ToArray();
        var options = new GridOptions
        {
            Columns = 3, Padding = 1, BorderWidth = 1, Background = new Rgb(200, 201, 202), BorderColor = new Rgb(7, 8, 9),
        };
        var layout = ImageGrid.Plan(images, options);
        // Pitch = 2 + 2*1 + 1 = 5 across, 3 + 2 + 1 = 6 down; width 1 + 3*5 = 16, height 1 + 2*6 = 13.
        Assert.Equal((3, 2, 16, 13), (layout.Columns, layout.Rows, layout.Width, layout.Height));
        Assert.Equal((7, 8, 2, 3), layout.CellContent(4));
        Assert.Equal((2, 2, 2, 3), layout.CellContent(0));

        var grid = ImageGrid.Compose(images, options);
        Assert.Equal((16, 13, 3), (grid.Width, grid.Height, grid.Channels));
        var background = new Rgb(200, 201, 202);
        var border = new Rgb(7, 8, 9);
        Assert.Equal(background, At(grid, 0, 0));
        Assert.Equal(border, At(grid, 1, 1));
        Assert.Equal(new Rgb(10, 10, 10), At(grid, 2, 2));
        Assert.Equal(new Rgb(10, 10, 10), At(grid, 3, 4));
        Assert.Equal(border, At(grid, 4, 2));
        Assert.Equal(background, At(grid, 5, 2));
        // Cell 1 starts one pitch to the right; cell 4 (row 1, column 1) at (7, 8).
        Assert.Equal(new Rgb(20, 20, 20), At(grid, 7, 2));
        Assert.Equal(border, At(grid, 6, 7));
        Assert.Equal(new Rgb(50, 50, 50), At(grid, 7, 8));
        Assert.Equal(new Rgb(50, 50, 50), At(grid, 8, 10));
        Assert.Equal(border, At(grid, 9, 11));
        // The sixth slot is empty background.
        Assert.Equal(background, At(grid, 12, 8));
        Assert.Equal(background, At(grid, 15, 12));
    }

    [Fact]
    public void Default_layout_is_square_ish_and_sized_by_largest_image()
    {
        var images = new[] { Solid(2, 2, 1), Solid(4, 1, 2), Solid(1, 3, 3), Solid(1, 1, 4), Solid(1, 1, 5) };
        var layout = ImageGrid.Plan(images);
        Assert.Equal((3, 2, 4, 3, 2, 0), (layout.Columns, layout.Rows, layout.CellWidth, layout.CellHeight, layout.Padding, layout.BorderWidth));
        Assert.Equal(2 + 3 * (4 + 2), layout.Width);
        // Fewer images than requested columns: one row only as wide as needed.
        var wide = ImageGrid.Plan(images[..2], new GridOptions { Columns = 8 });
        Assert.Equal((2, 1), (wide.Columns, wide.Rows));
    }

    [Fact]
    public void Cells_are_resized_to_the_common_size_and_gray_is_expanded()
    {
        var gray = new Image(2, 1, 1, [0, 100]);
        var grid = ImageGrid.Compose([gray], new GridOptions { CellWidth = 4, CellHeight = 2, Padding = 0 });
        Assert.Equal((4, 2), (grid.Width, grid.Height));
        Assert.Equal(new Rgb(0, 0, 0), At(grid, 1, 1));
        Assert.Equal(new Rgb(100, 100, 100), At(grid, 2, 0));

        var smooth = ImageGrid.Compose([gray], new GridOptions { CellWidth = 4, CellHeight = 1, Padding = 0, Resize = ResizeFilter.Bilinear });
        Assert.Equal(new byte[] { 0, 25, 75, 100 }, Enumerable.Range(0, 4).Select(x => smooth[x, 0, 1]).ToArray());
    }

    [Fact]
    public void Bad_grid_options_are_rejected()
    {
        Assert.Throws<InvalidOptionException>(() => ImageGrid.Compose([]));
        Assert.Throws<InvalidOptionException>(() => ImageGrid.Compose([Solid(1, 1, 0)], new GridOptions { Columns = 0 }));
        Assert.Throws<InvalidOptionException>(() => ImageGrid.Compose([Solid(1, 1, 0)], new GridOptions { Padding = -1 }));
    }
}
