package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.config.Connection;
import io.otaedge.cli.config.Profile;
import io.otaedge.cli.config.Profiles;
import io.otaedge.cli.output.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl profile add|use|list|remove}: named admin URLs and keys, kept in a file only its owner reads. */
@Command(name = "profile", description = "Manage profiles: an admin URL and key under a name.")
public final class ProfileCommand extends AdminCommand {

    @Command(name = "add", description = "Add (or replace) a profile from --url and --key or --key-file; "
            + "the first one added becomes current.")
    int add(@Parameters(paramLabel = "NAME", description = "Letters, digits, '_' and '-'.") String name,
            @Option(names = "--key-file", paramLabel = "FILE",
                    description = "A file holding the key, e.g. data/admin.key (instead of --key).") Path keyFile,
            @Option(names = "--use", description = "Make it the current profile.") boolean use) {
        if (!Profile.validName(name)) {
            throw CliFailure.usage("a profile name is 1 to 64 letters, digits, '_' or '-': " + name);
        }
        String url = root().flagUrl();
        if (url == null) {
            throw CliFailure.usage("profile add needs --url (the admin API base URL, e.g. http://127.0.0.1:8082)");
        }
        Connection.baseUrl(url);
        if ((root().flagKey() == null) == (keyFile == null)) {
            throw CliFailure.usage("profile add needs one of --key and --key-file");
        }
        String key = keyFile == null ? root().flagKey().strip() : readKey(keyFile);
        if (key.isEmpty() || key.contains("\n")) {
            throw CliFailure.usage("the key must be one non-empty line");
        }
        Profiles profiles = root().profiles();
        profiles.put(new Profile(name, url, key));
        if (use) {
            profiles.use(name);
        }
        profiles.save();
        printer().out().println("profile " + name + " saved in " + profiles.file()
                + (name.equals(profiles.currentName()) ? " (current)" : ""));
        return 0;
    }

    @Command(name = "use", description = "Make a profile the current one.")
    int use(@Parameters(paramLabel = "NAME") String name) {
        Profiles profiles = root().profiles();
        profiles.use(name);
        profiles.save();
        printer().out().println("current profile: " + name);
        return 0;
    }

    @Command(name = "list", description = "List profiles (keys masked).")
    int list() {
        Profiles profiles = root().profiles();
        if (printer().isJson()) {
            ArrayNode all = root().json().createArrayNode();
            for (Profile p : profiles.all()) {
                all.add(object().put("name", p.name()).put("url", p.url()).put("key", p.maskedKey())
                        .put("current", p.name().equals(profiles.currentName())));
            }
            printer().json(object().set("profiles", all));
            return 0;
        }
        Table t = Table.of("CURRENT", "NAME", "URL", "KEY");
        for (Profile p : profiles.all()) {
            t.row(p.name().equals(profiles.currentName()) ? "*" : "", p.name(), p.url(), p.maskedKey());
        }
        t.print(printer().out());
        return 0;
    }

    @Command(name = "remove", description = "Remove a profile.")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        Profiles profiles = root().profiles();
        profiles.require(name);
        profiles.remove(name);
        profiles.save();
        printer().out().println("profile " + name + " removed");
        return 0;
    }

    private static String readKey(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw CliFailure.usage("cannot read the key from " + file + ": " + e.getMessage());
        }
    }
}
