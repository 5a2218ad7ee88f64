package io.otaedge.cli.command;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otactl completion bash}: the completion script, generated from the command tree itself. */
@Command(name = "completion", description = {"Print a shell completion script (bash; zsh through bashcompinit).",
        "  source <(otactl completion bash)      # this shell",
        "  otactl completion bash > /etc/bash_completion.d/otactl"})
public final class CompletionCommand implements Callable<Integer> {

    enum Shell {
        bash, zsh
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash (default) or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("otactl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
