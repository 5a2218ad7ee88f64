package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.http.Digests;
import io.otaedge.cli.output.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl firmware upload|list|show|status}. */
@Command(name = "firmware", description = "Firmware packages of a product.")
public final class FirmwareCommand extends AdminCommand {

    @Command(name = "upload", description = "Upload a package (full, or differential with --source-version); "
            + "checks the server's md5, sha256 (and sha1) against the bytes sent.")
    int upload(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
               @Option(names = "--version", required = true, paramLabel = "VERSION",
                       description = "The version the package installs, e.g. 1.2.0.") String version,
               @Option(names = "--module", paramLabel = "MODULE", description = "Default: default.") String module,
               @Option(names = "--file-name", paramLabel = "NAME", description = "Default: the file's own name.")
               String fileName,
               @Option(names = "--source-version", paramLabel = "VERSION",
                       description = "Makes it a differential package from this version.") String sourceVersion,
               @Option(names = "--status", paramLabel = "STATUS", description = "TEST, ONLINE (default) or INVALID.")
               String status,
               @Option(names = "--progress", negatable = true, description = "Show a progress bar "
                       + "(default: when attached to a terminal).") Boolean progress,
               @Option(names = {"-q", "--quiet"}, description = "Print only the new package's id.") boolean quiet,
               @Parameters(paramLabel = "FILE") Path file) {
        Map<String, Object> q = AdminClient.params();
        q.put("version", version);
        q.put("module", module);
        q.put("fileName", fileName == null ? file.getFileName().toString() : fileName);
        q.put("sourceVersion", sourceVersion);
        q.put("status", status);
        long size = Files.isRegularFile(file) ? file.toFile().length() : 0;
        AdminClient.Uploaded up;
        try (UploadProgress bar = UploadProgress.open(progress, size, file.getFileName().toString(),
                spec.commandLine().getErr())) {
            up = client().upload(AdminClient.path("products", productId, "firmwares") + AdminClient.query(q), file, bar);
        }
        List<String> verified = verify(up.answer(), up.sent());
        if (quiet) {
            return printValue(up.answer(), "id");
        }
        printer().print(up.answer(), answer -> Table.fields(answer).row("verified", String.join(",", verified)));
        return 0;
    }

    /** The digests the server returned that match the bytes sent; a mismatch fails the command. */
    static List<String> verify(JsonNode answer, Digests.Hex sent) {
        List<String> matched = new ArrayList<>();
        check(answer, "md5", sent.md5(), matched);
        check(answer, "sha256", sent.sha256(), matched);
        check(answer, "sha1", sent.sha1(), matched);
        if (!matched.contains("md5") || !matched.contains("sha256")) {
            throw CliFailure.failed("the server's answer carries no md5 or sha256 to check the upload against");
        }
        return matched;
    }

    private static void check(JsonNode answer, String name, String local, List<String> matched) {
        String remote = answer.path(name).asText(null);
        if (remote == null) {
            return;
        }
        if (!remote.equalsIgnoreCase(local)) {
            throw CliFailure.failed("upload corrupted: the server's " + name + " is " + remote + ", the bytes sent have "
                    + local + " (package " + answer.path("id").asText("?") + ")");
        }
        matched.add(name);
    }

    @Command(name = "list", description = "The product's packages, oldest first.")
    int list(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
             @Option(names = "--module", paramLabel = "MODULE", description = "Only this module's.") String module,
             @Option(names = "--status", paramLabel = "STATUS", description = "Only TEST, ONLINE or INVALID ones.") String status,
             @Mixin PageOptions page) {
        Map<String, Object> q = AdminClient.params();
        q.put("module", module);
        q.put("status", status);
        printList(page.fetch(client(), AdminClient.path("products", productId, "firmwares"), q), answer -> {
            Table t = Table.of("ID", "VERSION", "MODULE", "TYPE", "FROM", "SIZE", "STATUS", "CREATED");
            for (JsonNode f : answer.path("items")) {
                t.row(f.path("id"), f.path("version"), f.path("module"), f.path("packageType"), f.path("sourceVersion"),
                        f.path("size"), f.path("status"), f.path("createdAt"));
            }
            return t;
        });
        return 0;
    }

    @Command(name = "delete", description = "Delete a package no created, running or paused task uses "
            + "(its file goes when no other package has the same bytes).")
    int delete(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
               @Parameters(paramLabel = "FIRMWARE_ID") String id) {
        client().delete(AdminClient.path("products", productId, "firmwares", id));
        printer().out().println("deleted " + id);
        printer().out().flush();
        return 0;
    }

    @Command(name = "show", description = "One package.")
    int show(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
             @Parameters(paramLabel = "FIRMWARE_ID") String id) {
        printer().print(client().get(AdminClient.path("products", productId, "firmwares", id)), Table::fields);
        return 0;
    }

    @Command(name = "status", description = "Change a package's release status: TEST packages reach only tasks "
            + "naming their devices, INVALID ones nobody.")
    int status(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
               @Parameters(index = "0", paramLabel = "FIRMWARE_ID") String id,
               @Parameters(index = "1", paramLabel = "STATUS", description = "TEST, ONLINE or INVALID.") String status) {
        printer().print(client().put(AdminClient.path("products", productId, "firmwares", id, "status"),
                object().put("status", status)), Table::fields);
        return 0;
    }
}
