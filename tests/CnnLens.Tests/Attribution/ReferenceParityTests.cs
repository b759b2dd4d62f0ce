using CnnLens.Attribution;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

/// <summary>
/// Every deterministic gradient method equals the PyTorch reference (written from Captum's and
/// pytorch-grad-cam's definitions) within 1e-4 of the largest magnitude, on lenet, resnet18 and mobilenet_v2.
/// </summary>
public class ReferenceParityTests
{
    public static IEnumerable<object[]> Models => AttributionFixtures.ModelNames;

    public static IEnumerable<object[]> InputSpaceCases =>
        from model in AttributionFixtures.ModelNames.Select(m => (string)m[0])
        from method in new[] { "saliency", "input-x-gradient", "guided-backprop", "deconvnet", "guided-grad-cam" }
        select new object[] { model, method };

    public static IEnumerable<object[]> CamCases =>
        from model in AttributionFixtures.ModelNames.Select(m => (string)m[0])
        from method in new[] { "grad-cam", "grad-cam-plus-plus", "xgrad-cam", "layer-cam", "hires-cam" }
        from early in new[] { false, true }
        select new object[] { model, method, early };

    [Theory]
    [MemberData(nameof(InputSpaceCases))]
    public void Input_space_method_matches_reference(string model, string method)
    {
        var result = MethodCatalog.Create(method, new MethodSettings { Layer = AttributionFixtures.Text(model, "cam_layer") })
            .Attribute(AttributionFixtures.Model(model), AttributionFixtures.InputB1(model), [AttributionFixtures.Entry(model).GetProperty("target_b1").GetInt32()]);
        var expected = AttributionFixtures.Expected(model, method);
        Assert.Equal(expected.ShapeArray, result.Values.ShapeArray);
        Compare.RelativeToLargest(expected.Data, result.Values.Data, 1e-4, $"{model} {method}");
    }

    [Theory]
    [MemberData(nameof(CamCases))]
    public void Cam_matches_reference_at_batch_1_and_2_with_mixed_targets(string model, string method, bool early)
    {
        string layer = AttributionFixtures.Text(model, early ? "cam_layer_early" : "cam_layer");
        string suffix = early ? "_early-layer" : "";
        var cam = MethodCatalog.Create(method, new MethodSettings { Layer = layer });
        var m = AttributionFixtures.Model(model);

        var single = cam.Attribute(m, AttributionFixtures.InputB1(model), [AttributionFixtures.Entry(model).GetProperty("target_b1").GetInt32()]);
        var expected = AttributionFixtures.Expected(model, method + suffix);
        Assert.Equal(expected.ShapeArray, single.Values.ShapeArray);
        Compare.RelativeToLargest(expected.Data, single.Values.Data, 1e-4, $"{model} {method}{suffix}");

        var mixed = cam.Attribute(m, AttributionFixtures.InputB2(model), AttributionFixtures.Ints(model, "targets_b2_mixed"));
        Compare.RelativeToLargest(AttributionFixtures.Expected(model, $"{method}{suffix}_b2-mixed-targets").Data, mixed.Values.Data, 1e-4, $"{model} {method}{suffix} mixed targets");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Cam_without_a_layer_uses_the_suggested_layer_which_is_the_references(string model)
    {
        var result = new GradCam().Attribute(AttributionFixtures.Model(model), AttributionFixtures.InputB1(model), [AttributionFixtures.Entry(model).GetProperty("target_b1").GetInt32()]);
        Assert.Equal(AttributionFixtures.Text(model, "cam_layer"), result.Layer);
        Compare.RelativeToLargest(AttributionFixtures.Expected(model, "grad-cam").Data, result.Values.Data, 1e-4);
    }

    [Theory]
    [InlineData("lenet", "gausslegendre", 50)]
    [InlineData("resnet18", "gausslegendre", 50)]
    [InlineData("mobilenet_v2", "gausslegendre", 50)]
    [InlineData("resnet18", "riemann-left", 20)]
    [InlineData("resnet18", "riemann-right", 20)]
    [InlineData("resnet18", "riemann-middle", 20)]
    [InlineData("resnet18", "riemann-trapezoid", 20)]
    [InlineData("mobilenet_v2", "riemann-trapezoid", 20)]
    public void Integrated_gradients_matches_reference_and_reports_its_convergence_delta(string model, string rule, int steps)
    {
        var ig = new IntegratedGradients(new IntegratedGradientsOptions { Steps = steps, Rule = IntegrationSteps.Parse(rule), BatchSize = 7 });
        var result = ig.Attribute(AttributionFixtures.Model(model), AttributionFixtures.InputB1(model), [AttributionFixtures.Entry(model).GetProperty("target_b1").GetInt32()]);
        Compare.RelativeToLargest(AttributionFixtures.Expected(model, $"integrated-gradients_{rule}-{steps}").Data, result.Values.Data, 1e-4, $"{model} IG {rule}");
        if (rule == "gausslegendre")
            Assert.Equal(AttributionFixtures.ConvergenceDelta(model, steps), result.ConvergenceDelta![0], 1e-3);
    }

    [Fact]
    public void Integrated_gradients_batch_of_two_matches_reference()
    {
        var result = new IntegratedGradients().Attribute(AttributionFixtures.Model("resnet18"), AttributionFixtures.InputB2("resnet18"), AttributionFixtures.Ints("resnet18", "targets_b2"));
        Compare.RelativeToLargest(AttributionFixtures.Expected("resnet18", "integrated-gradients_gausslegendre-50_b2").Data, result.Values.Data, 1e-4);
    }
}
