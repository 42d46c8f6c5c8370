// AmtsboteServer: the portal's HTTP ingest and status API, the admin socket for operators,
// configuration loading and the lifecycle of `amtsbote serve`.
