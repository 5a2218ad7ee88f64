package io.otaedge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.cli.config.Connection;
import io.otaedge.cli.config.Profile;
import io.otaedge.cli.config.Profiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles file: owner-only, round-trips, and which URL and key a command ends up with. */
class ProfilesTest {

    @TempDir
    Path dir;

    @Test
    void theFileAndItsDirectoryAreWrittenOwnerOnlyAndReadBack() throws Exception {
        Path file = dir.resolve("conf/otactl/config");
        Profiles p = Profiles.load(file);
        p.put(new Profile("a", "http://a:8082", "key-a-123456"));
        p.put(new Profile("b", "http://b:8082", "key=b/+x"));
        p.save();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        Profiles back = Profiles.load(file);
        assertThat(back.names()).containsExactly("a", "b");
        assertThat(back.currentName()).as("the first added is current").isEqualTo("a");
        assertThat(back.require("b").key()).as("a key with '=' survives").isEqualTo("key=b/+x");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        back.use("b");
        back.save();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Profiles.load(file).currentName()).isEqualTo("b");
    }

    @Test
    void flagsWinThenANamedProfileThenTheEnvironmentThenTheCurrentProfile() {
        Profiles p = Profiles.load(dir.resolve("config"));
        p.put(new Profile("cur", "http://current:1", "current-key"));
        p.put(new Profile("named", "http://named:2", "named-key"));
        Map<String, String> env = Map.of("OTACTL_URL", "http://env:3", "OTACTL_KEY", "env-key");

        assertThat(Connection.resolve("http://flag:4/", "flag-key", "named", env, p))
                .isEqualTo(new Connection(java.net.URI.create("http://flag:4"), "flag-key"));
        assertThat(Connection.resolve(null, null, "named", env, p).baseUrl().getHost()).isEqualTo("named");
        assertThat(Connection.resolve(null, null, null, env, p).key()).isEqualTo("env-key");
        assertThat(Connection.resolve(null, null, null, Map.of(), p).baseUrl().getHost()).isEqualTo("current");
        assertThat(Connection.resolve("http://flag:4", null, null, Map.of(), p).key()).isEqualTo("current-key");
    }

    @Test
    void anUnknownProfileOrABadUrlIsAUsageError() {
        Profiles p = Profiles.load(dir.resolve("config"));
        assertThatThrownBy(() -> Connection.resolve(null, null, "ghost", Map.of(), p))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("no profile 'ghost'");
        assertThatThrownBy(() -> Connection.resolve("ftp://x", "k", null, Map.of(), p))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void otactlConfigNamesTheFileElseTheXdgOrHomeConfigDirectory() {
        assertThat(Profiles.defaultFile(Map.of("OTACTL_CONFIG", "/x/c", "HOME", "/h"))).isEqualTo(Path.of("/x/c"));
        assertThat(Profiles.defaultFile(Map.of("XDG_CONFIG_HOME", "/xdg", "HOME", "/h")))
                .isEqualTo(Path.of("/xdg/otactl/config"));
        assertThat(Profiles.defaultFile(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.config/otactl/config"));
    }
}
