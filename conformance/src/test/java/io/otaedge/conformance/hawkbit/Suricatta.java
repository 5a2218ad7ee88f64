package io.otaedge.conformance.hawkbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code swupdate} (2022.12) as a real process: dry-run ({@code -n}), the image's certificate
 * ({@code -k}), the hardware revision the image asks for ({@code -H}), suricatta's hawkBit client
 * ({@code -u "-t <tenant> -u <url> -i <id> -k <target token>"}) and a config file whose {@code identify} section is
 * what it sends as configData. {@code TMPDIR} is its own directory: swupdate puts its IPC sockets and the files
 * it extracts there, so two runs never share them. Stopped with SIGTERM, then killed.
 */
final class Suricatta implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Suricatta(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param confirm null, or suricatta's {@code -c} (2 = the update booted fine: report success)
     */
    static Suricatta start(Path dir, Path cert, String controlUrl, String tenant, String device, String token,
                           String runningVersion, Integer confirm) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path config = dir.resolve("swupdate.cfg");
        Files.writeString(config, """
                globals : {
                	loglevel = 6;
                };
                identify : (
                	{ name = "version"; value = "%s"; },
                	{ name = "hwId"; value = "%s"; }
                );
                """.formatted(runningVersion, SwuImage.HARDWARE));
        String suricatta = "-t " + tenant + " -u " + controlUrl + " -i " + device + " -k " + token + " -r 3 -w 1"
                + (confirm == null ? "" : " -c " + confirm);
        List<String> command = new ArrayList<>(List.of("swupdate", "-v", "-n", "-f", config.toString(),
                "-H", SwuImage.HARDWARE + ":" + SwuImage.REVISION, "-k", cert.toString(), "-u", suricatta));
        Path log = dir.resolve("swupdate.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TMPDIR", tmp.toString() + "/");
        return new Suricatta(pb.start(), log);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
