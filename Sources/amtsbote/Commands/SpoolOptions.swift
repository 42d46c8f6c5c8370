import ArgumentParser

/// `--spool DIR`, shared by every command that works on a spool.
struct SpoolOptions: ParsableArguments {
    @Option(name: .customLong("spool"), help: ArgumentHelp("The spool directory.", valueName: "dir"))
    var path: String = "spool"
}
