using Ledger.Cli;

return await LedgerCli.RunAsync(args);
