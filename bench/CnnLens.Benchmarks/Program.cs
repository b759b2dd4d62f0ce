using BenchmarkDotNet.Running;
using CnnLens.Benchmarks;

// `-- quick` prints a fast stopwatch table, `-- report` times report rendering; anything else goes to BenchmarkDotNet's switcher.
if (args.Length > 0 && args[0] == "quick")
{
    QuickMeasurements.Run(args);
    return;
}
if (args.Length > 1 && args[0] == "profile")
{
    NodeProfile.Run(args);
    return;
}
if (args.Length > 0 && args[0] == "report")
{
    ReportRendering.Run();
    return;
}
if (args.Length > 0 && args[0] == "maximize")
{
    MaximizeMeasurement.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(QuickMeasurements).Assembly).Run(args);
