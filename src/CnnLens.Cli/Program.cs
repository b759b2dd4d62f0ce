using CnnLens.Cli;

return CommandRunner.Run(CliApp.CreateRootCommand(), args);
