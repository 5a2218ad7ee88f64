package io.otaedge.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a test sees of the Redis servers on this machine (Linux: /proc), independently of the code under test. */
public final class RedisProcesses {

    private RedisProcesses() {
    }

    /** Redis processes whose working directory is {@code dir} (Redis changes into its --dir). */
    public static List<Long> on(Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    if (cmd.contains("redis-server") && Files.readSymbolicLink(p.resolve("cwd")).equals(real)) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
