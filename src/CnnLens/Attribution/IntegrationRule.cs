namespace CnnLens.Attribution;

/// <summary>How integrated gradients places its steps on the path (Captum's <c>method</c> names).</summary>
public enum IntegrationRule
{
    GaussLegendre,
    RiemannLeft,
    RiemannRight,
    RiemannMiddle,
    RiemannTrapezoid,
}

/// <summary>Step positions (alphas in [0, 1]) and weights for each <see cref="IntegrationRule"/>.</summary>
public static class IntegrationSteps
{
    public static IntegrationRule Parse(string name) => name switch
    {
        "gausslegendre" => IntegrationRule.GaussLegendre,
        "riemann-left" or "riemann_left" => IntegrationRule.RiemannLeft,
        "riemann-right" or "riemann_right" => IntegrationRule.RiemannRight,
        "riemann-middle" or "riemann_middle" => IntegrationRule.RiemannMiddle,
        "riemann-trapezoid" or "riemann_trapezoid" => IntegrationRule.RiemannTrapezoid,
        _ => throw new InvalidOptionException($"unknown --ig-method '{name}'; use gausslegendre, riemann-left, riemann-right, riemann-middle or riemann-trapezoid"),
    };

    public static string Name(IntegrationRule rule) => rule switch
    {
        IntegrationRule.GaussLegendre => "gausslegendre",
        IntegrationRule.RiemannLeft => "riemann-left",
        IntegrationRule.RiemannRight => "riemann-right",
        IntegrationRule.RiemannMiddle => "riemann-middle",
        _ => "riemann-trapezoid",
    };

    /// <summary>
    /// Alphas and weights; the weights always sum to 1, so a constant gradient integrates exactly.
    /// (The trapezoid rule here is the textbook one: half weight at both ends.)
    /// </summary>
    public static (double[] Alphas, double[] Weights) For(IntegrationRule rule, int steps)
    {
        if (steps < 1 || (rule == IntegrationRule.RiemannTrapezoid && steps < 2))
            throw new InvalidOptionException($"--steps must be at least {(rule == IntegrationRule.RiemannTrapezoid ? 2 : 1)} for {Name(rule)}, got {steps}");
        if (rule == IntegrationRule.GaussLegendre) return GaussLegendre.OnUnitInterval(steps);
        var alphas = new double[steps];
        var weights = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            alphas[i] = rule switch
            {
                IntegrationRule.RiemannLeft => (double)i / steps,
                IntegrationRule.RiemannRight => (double)(i + 1) / steps,
                IntegrationRule.RiemannMiddle => (i + 0.5) / steps,
                _ => (double)i / (steps - 1),
            };
            weights[i] = rule == IntegrationRule.RiemannTrapezoid
                ? (i == 0 || i == steps - 1 ? 0.5 : 1.0) / (steps - 1)
                : 1.0 / steps;
        }
        return (alphas, weights);
    }
}
