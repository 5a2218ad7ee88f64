package io.otaedge.conformance.hawkbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SWUpdate image built the way its documentation says: a cpio archive in {@code newc} format with
 * {@code sw-description} first, its CMS signature {@code sw-description.sig} next ({@code openssl cms -sign}
 * with a throw-away self-signed certificate made here), then one file. What the description must say was found
 * by running Debian's swupdate 2022.12: it checks {@code hardware-compatibility} against {@code -H}, and a
 * signed build wants every image's {@code sha256}; in dry-run the file handler is the dummy one.
 */
final class SwuImage {

    static final String HARDWARE = "ota-edge";
    static final String REVISION = "1.0";

    private SwuImage() {
    }

    /** The signing certificate and key, made once per directory. */
    static Path certificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "2", "-subj", "/CN=ota-edge-conformance", "-addext", "keyUsage=digitalSignature",
                "-addext", "extendedKeyUsage=emailProtection");
        return cert;
    }

    /** Builds {@code <dir>/update.swu} for {@code version} with {@code payload} as its one file; its bytes. */
    static byte[] build(Path dir, String version, byte[] payload) throws Exception {
        Files.write(dir.resolve("payload.bin"), payload);
        String description = """
                software =
                {
                	version = "%s";
                	description = "OTA Edge conformance image";
                	hardware-compatibility = [ "%s" ];
                	files: (
                		{
                			filename = "payload.bin";
                			path = "/tmp/ota-edge-never-written/payload.bin";
                			sha256 = "%s";
                		}
                	);
                }
                """.formatted(version, REVISION, hex("SHA-256", payload));
        Files.writeString(dir.resolve("sw-description"), description);
        run(dir, "openssl", "cms", "-sign", "-in", "sw-description", "-out", "sw-description.sig", "-signer", "cert.pem",
                "-inkey", "key.pem", "-outform", "DER", "-nosmimecap", "-binary");
        Files.writeString(dir.resolve("files.txt"), "sw-description\nsw-description.sig\npayload.bin\n");
        ProcessBuilder pb = new ProcessBuilder("cpio", "-o", "-H", "newc").directory(dir.toFile())
                .redirectInput(dir.resolve("files.txt").toFile()).redirectOutput(dir.resolve("update.swu").toFile())
                .redirectError(dir.resolve("cpio.log").toFile());
        wait(pb.start(), "cpio", dir.resolve("cpio.log"));
        return Files.readAllBytes(dir.resolve("update.swu"));
    }

    static String hex(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private static void run(Path dir, String... command) throws Exception {
        Path log = dir.resolve(command[0] + ".log");
        wait(new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(), String.join(" ", command), log);
    }

    private static void wait(Process p, String what, Path log) throws InterruptedException, IOException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(what + " failed (" + p.exitValue() + "): " + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
