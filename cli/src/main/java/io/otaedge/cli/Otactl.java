package io.otaedge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.otaedge.cli.command.AuditCommand;
import io.otaedge.cli.command.CompletionCommand;
import io.otaedge.cli.command.DevicesCommand;
import io.otaedge.cli.command.FirmwareCommand;
import io.otaedge.cli.command.KeysCommand;
import io.otaedge.cli.command.OneNetCommand;
import io.otaedge.cli.command.ProductsCommand;
import io.otaedge.cli.command.ProfileCommand;
import io.otaedge.cli.command.TasksCommand;
import io.otaedge.cli.command.TokensCommand;
import io.otaedge.cli.config.Connection;
import io.otaedge.cli.config.Profiles;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.OutputFormat;
import io.otaedge.cli.output.Printer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code otactl}: the admin API from a shell. The options here apply to every command, before or after
 * its name; each command is one class (or one method) in {@code io.otaedge.cli.command}.
 */
@Command(name = "otactl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Otactl.Version.class, usageHelpAutoWidth = true,
        description = "Operate OTA Edge through its admin API (control's admin port).",
        subcommands = {ProfileCommand.class, ProductsCommand.class, FirmwareCommand.class, TasksCommand.class,
                DevicesCommand.class, OneNetCommand.class, TokensCommand.class, KeysCommand.class, AuditCommand.class,
                CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the server refused the request (4xx); its message is printed",
            "2:usage: a bad option or argument, no URL or key configured, an unreadable file",
            "3:the server or the network failed: unreachable, timeout, 5xx, or an upload whose digests do not match"},
        footerHeading = "%nConnection:%n",
        footer = {"Each of URL and key comes from --url/--key, else the profile named by --profile, else OTACTL_URL/"
                + "OTACTL_KEY, else the current profile. Profiles live in $OTACTL_CONFIG (default "
                + "~/.config/otactl/config, written 0600)."})
public final class Otactl implements Runnable {

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Use this profile's URL and key (see: otactl profile list).")
    String profile;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Admin API base URL, e.g. http://127.0.0.1:8082 (env OTACTL_URL).")
    String url;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "Admin bearer key (env OTACTL_KEY; prefer a profile: a flag shows in the process list).")
    String key;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (the server's answer as it came).")
    OutputFormat output;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds to wait for a connection and for each answer (uploads: for the connection only). "
                    + "Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    public Otactl(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(commandLine(System.getenv(), out, err).execute(args));
    }

    /** The whole command tree, writing to {@code out} and {@code err}, reading {@code env} for its defaults. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Otactl(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliFailure f) {
                cmd.getErr().println("otactl: " + f.getMessage());
                return f.exitCode();
            }
            cmd.getErr().println("otactl: unexpected failure: " + ex);
            return ExitCodes.FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("otactl: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    /** {@code --url} as given (null when absent); {@code profile add} stores it. */
    public String flagUrl() {
        return url;
    }

    /** {@code --key} as given (null when absent). */
    public String flagKey() {
        return key;
    }

    public Map<String, String> env() {
        return env;
    }

    public ObjectMapper json() {
        return json;
    }

    public Profiles profiles() {
        return Profiles.load(Profiles.defaultFile(env));
    }

    public AdminClient client() {
        return new AdminClient(Connection.resolve(url, key, profile, env, profiles()), timeout(), json);
    }

    public Printer printer() {
        return new Printer(output, spec.commandLine().getOut(), json);
    }

    private Duration timeout() {
        if (timeoutSeconds < 1) {
            throw CliFailure.usage("--timeout must be at least 1 second");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The version the jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Otactl.class.getPackage().getImplementationVersion();
            return new String[] {"otactl " + (v == null ? "(development build)" : v)};
        }
    }
}
