namespace CnnLens.Attribution;

/// <summary>The attribution methods by their command-line contract names.</summary>
public static class MethodCatalog
{
    private static readonly Dictionary<string, Func<MethodSettings, AttributionMethod>> Factories = new()
    {
        ["saliency"] = _ => new Saliency(),
        ["input-x-gradient"] = _ => new InputXGradient(),
        ["integrated-gradients"] = s => new IntegratedGradients(IntegratedGradientsOptionsFrom(s)),
        ["smoothgrad"] = s => NoiseTunnel.SmoothGrad(null, NoiseOptionsFrom(s)),
        ["vargrad"] = s => NoiseTunnel.VarGrad(null, NoiseOptionsFrom(s)),
        ["guided-backprop"] = _ => new GuidedBackprop(),
        ["deconvnet"] = _ => new Deconvolution(),
        ["grad-cam"] = s => new GradCam(s.Layer),
        ["guided-grad-cam"] = s => new GuidedGradCam(s.Layer),
        ["grad-cam-plus-plus"] = s => new GradCamPlusPlus(s.Layer),
        ["xgrad-cam"] = s => new XGradCam(s.Layer),
        ["layer-cam"] = s => new LayerCam(s.Layer),
        ["hires-cam"] = s => new HiResCam(s.Layer),
        ["eigen-cam"] = s => new EigenCam(s.Layer),
        ["score-cam"] = s => new ScoreCam(s.Layer, s.BatchSize ?? ScoreCam.DefaultBatchSize),
        ["ablation-cam"] = s => new AblationCam(s.Layer, s.BatchSize ?? AblationCam.DefaultBatchSize),
        ["occlusion"] = s => new Perturbation.Occlusion(OcclusionOptionsFrom(s)),
        ["feature-ablation"] = s => new Perturbation.FeatureAblation(FeatureAblationOptionsFrom(s)),
        ["rise"] = s => new Perturbation.Rise(RiseOptionsFrom(s)),
        ["lime"] = s => new Perturbation.Lime(LimeOptionsFrom(s)),
        ["kernel-shap"] = s => new Perturbation.KernelShap(KernelShapOptionsFrom(s)),
        ["shapley-sampling"] = s => new Perturbation.ShapleyValueSampling(ShapleySamplingOptionsFrom(s)),
        ["deeplift"] = s => new DeepLift(s.Baseline),
        ["deeplift-shap"] = s => new DeepLiftShap(s.Baselines),
        ["gradient-shap"] = s => new GradientShap(GradientShapOptionsFrom(s)),
        ["lrp"] = s => new LayerwiseRelevancePropagation(LrpOptionsFrom(s)),
    };

    /// <summary>Names of the methods available now, in contract order.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.ToList();

    public static AttributionMethod Create(string name, MethodSettings settings) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(settings)
            : throw new InvalidOptionException($"unknown method '{name}'; available: {string.Join(", ", Names)}");

    private static IntegratedGradientsOptions IntegratedGradientsOptionsFrom(MethodSettings s)
    {
        var defaults = new IntegratedGradientsOptions();
        return new IntegratedGradientsOptions
        {
            Steps = s.Steps ?? defaults.Steps,
            Rule = s.IntegrationMethod is { } m ? IntegrationSteps.Parse(m) : defaults.Rule,
            Baseline = s.Baseline ?? defaults.Baseline,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }

    private static GradientShapOptions GradientShapOptionsFrom(MethodSettings s)
    {
        var defaults = new GradientShapOptions();
        return new GradientShapOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            Noise = s.Noise ?? defaults.Noise,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
            Baselines = s.Baselines ?? defaults.Baselines,
        };
    }

    private static LrpOptions LrpOptionsFrom(MethodSettings s)
    {
        var defaults = new LrpOptions();
        return new LrpOptions
        {
            Rule = s.Rule is { } rule ? LrpOptions.ParseRule(rule) : defaults.Rule,
            Epsilon = s.Epsilon ?? defaults.Epsilon,
            Gamma = s.Gamma ?? defaults.Gamma,
            Alpha = s.Alpha ?? defaults.Alpha,
            Beta = s.Beta ?? defaults.Beta,
        };
    }

    private static Perturbation.OcclusionOptions OcclusionOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.OcclusionOptions();
        return new Perturbation.OcclusionOptions
        {
            Window = s.Window,
            Strides = s.Strides,
            Baseline = s.Baseline ?? defaults.Baseline,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
            FullForward = s.FullForward,
        };
    }

    private static Perturbation.FeatureAblationOptions FeatureAblationOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.FeatureAblationOptions();
        return new Perturbation.FeatureAblationOptions
        {
            Features = s.Features ?? defaults.Features,
            Baseline = s.Baseline ?? defaults.Baseline,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
            FullForward = s.FullForward,
        };
    }

    private static NoiseTunnelOptions NoiseOptionsFrom(MethodSettings s)
    {
        var defaults = new NoiseTunnelOptions();
        return new NoiseTunnelOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            Noise = s.Noise ?? defaults.Noise,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }

    private static Perturbation.RiseOptions RiseOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.RiseOptions();
        return new Perturbation.RiseOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            GridSize = s.MaskGrid ?? defaults.GridSize,
            Probability = s.MaskProbability ?? defaults.Probability,
            Baseline = s.Baseline ?? defaults.Baseline,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }

    private static Perturbation.LimeOptions LimeOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.LimeOptions();
        return new Perturbation.LimeOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            Features = s.Features ?? defaults.Features,
            KernelWidth = s.KernelWidth ?? defaults.KernelWidth,
            Baseline = s.Baseline ?? defaults.Baseline,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }

    private static Perturbation.KernelShapOptions KernelShapOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.KernelShapOptions();
        return new Perturbation.KernelShapOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            Features = s.Features ?? defaults.Features,
            Baseline = s.Baseline ?? defaults.Baseline,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }

    private static Perturbation.ShapleySamplingOptions ShapleySamplingOptionsFrom(MethodSettings s)
    {
        var defaults = new Perturbation.ShapleySamplingOptions();
        return new Perturbation.ShapleySamplingOptions
        {
            Samples = s.Samples ?? defaults.Samples,
            Features = s.Features ?? defaults.Features,
            Baseline = s.Baseline ?? defaults.Baseline,
            Seed = s.Seed,
            BatchSize = s.BatchSize ?? defaults.BatchSize,
        };
    }
}
