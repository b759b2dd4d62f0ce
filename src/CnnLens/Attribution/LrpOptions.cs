namespace CnnLens.Attribution;

/// <summary>Which LRP rule the weighted layers use (<see cref="Composite"/>: each layer its own, like Zennit's EpsilonPlusFlat).</summary>
public enum LrpRuleChoice
{
    Composite,
    Epsilon,
    Gamma,
    AlphaBeta,
    ZPlus,
}

/// <summary>The options of <see cref="LayerwiseRelevancePropagation"/>.</summary>
public sealed record LrpOptions
{
    /// <summary>composite (default): flat first layer, z-plus convolutions, epsilon dense layers; otherwise one rule for every weighted layer.</summary>
    public LrpRuleChoice Rule { get; init; } = LrpRuleChoice.Composite;

    /// <summary>Stabiliser of the epsilon rule (and of the z-rule on pools, sums and unfolded batch norms).</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>How much the gamma rule favours positive weights.</summary>
    public double Gamma { get; init; } = 0.25;

    public double Alpha { get; init; } = 2;

    public double Beta { get; init; } = 1;

    /// <summary>The contract names of the rules, as the command line spells them.</summary>
    public static IReadOnlyList<string> RuleNames { get; } = ["composite", "epsilon", "gamma", "alpha-beta", "z-plus"];

    public static LrpRuleChoice ParseRule(string name) => name.Trim().ToLowerInvariant() switch
    {
        "composite" => LrpRuleChoice.Composite,
        "epsilon" => LrpRuleChoice.Epsilon,
        "gamma" => LrpRuleChoice.Gamma,
        "alpha-beta" => LrpRuleChoice.AlphaBeta,
        "z-plus" => LrpRuleChoice.ZPlus,
        _ => throw new InvalidOptionException($"unknown LRP rule '{name}'; use one of {string.Join(", ", RuleNames)}"),
    };

    public static string RuleName(LrpRuleChoice rule) => RuleNames[(int)rule];

    /// <summary>Throws for option values no rule can use.</summary>
    public void Validate()
    {
        if (!(Epsilon >= 0)) throw new InvalidOptionException($"LRP epsilon must be 0 or more, got {Epsilon}");
        if (!(Gamma >= 0)) throw new InvalidOptionException($"LRP gamma must be 0 or more, got {Gamma}");
        if (!(Beta >= 0) || !(Alpha >= 0)) throw new InvalidOptionException($"LRP alpha and beta must be 0 or more, got alpha {Alpha}, beta {Beta}");
        if (Rule == LrpRuleChoice.AlphaBeta && Math.Abs(Alpha - Beta - 1) > 1e-9)
            throw new InvalidOptionException($"LRP alpha-beta needs alpha - beta = 1 to conserve relevance, got alpha {Alpha}, beta {Beta}");
    }
}
