using CnnLens.Attribution;

namespace CnnLens.Tests.Attribution;

public class IntegrationStepsTests
{
    [Fact]
    public void Gauss_legendre_two_points_are_the_textbook_nodes()
    {
        // On [-1,1]: ±1/√3 with weights 1; mapped to [0,1]: (1 ∓ 1/√3)/2 with weights 1/2.
        var (points, weights) = GaussLegendre.OnUnitInterval(2);
        Assert.Equal((1 - 1 / Math.Sqrt(3)) / 2, points[0], 1e-15);
        Assert.Equal((1 + 1 / Math.Sqrt(3)) / 2, points[1], 1e-15);
        Assert.Equal(0.5, weights[0], 1e-15);
        Assert.Equal(0.5, weights[1], 1e-15);
    }

    [Fact]
    public void Gauss_legendre_three_points_are_the_textbook_nodes()
    {
        // On [-1,1]: 0, ±√(3/5) with weights 8/9, 5/9.
        var (points, weights) = GaussLegendre.OnUnitInterval(3);
        Assert.Equal((1 - Math.Sqrt(0.6)) / 2, points[0], 1e-15);
        Assert.Equal(0.5, points[1], 1e-15);
        Assert.Equal(5.0 / 18, weights[0], 1e-15);
        Assert.Equal(8.0 / 18, weights[1], 1e-15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(200)]
    public void Gauss_legendre_integrates_polynomials_up_to_degree_2n_minus_1_exactly(int n)
    {
        var (points, weights) = GaussLegendre.OnUnitInterval(n);
        for (int degree = 0; degree <= Math.Min(2 * n - 1, 60); degree++)
        {
            double integral = points.Select((p, i) => weights[i] * Math.Pow(p, degree)).Sum();
            Assert.Equal(1.0 / (degree + 1), integral, 1e-12);
        }
        Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First < pair.Second), "points ascend");
    }

    [Theory]
    [InlineData(IntegrationRule.RiemannLeft, 0.0, 0.75)]
    [InlineData(IntegrationRule.RiemannRight, 0.25, 1.0)]
    [InlineData(IntegrationRule.RiemannMiddle, 0.125, 0.875)]
    [InlineData(IntegrationRule.RiemannTrapezoid, 0.0, 1.0)]
    public void Riemann_rules_place_four_steps_where_their_names_say(IntegrationRule rule, double first, double last)
    {
        var (alphas, weights) = IntegrationSteps.For(rule, 4);
        Assert.Equal(first, alphas[0], 1e-15);
        Assert.Equal(last, alphas[3], 1e-15);
        Assert.Equal(1.0, weights.Sum(), 1e-15);
        if (rule == IntegrationRule.RiemannTrapezoid)
        {
            double[] expected = [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6];
            for (int i = 0; i < 4; i++) Assert.Equal(expected[i], weights[i], 1e-15);
        }
    }

    [Fact]
    public void Bad_step_counts_and_rule_names_are_clear_errors()
    {
        Assert.Throws<InvalidOptionException>(() => IntegrationSteps.For(IntegrationRule.GaussLegendre, 0));
        Assert.Throws<InvalidOptionException>(() => IntegrationSteps.For(IntegrationRule.RiemannTrapezoid, 1));
        var e = Assert.Throws<InvalidOptionException>(() => IntegrationSteps.Parse("simpson"));
        Assert.Contains("gausslegendre", e.Message);
    }
}
