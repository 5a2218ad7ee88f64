package io.otaedge.cli.config;

import io.otaedge.cli.CliFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The profiles file, an INI file of {@code [name]} sections with {@code url} and {@code key}, and
 * {@code current = name} before the first section. It holds admin keys, so it is only ever written
 * owner-only (0600, its directory 0700) and replaced atomically.
 */
public final class Profiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final Map<String, Profile> byName = new LinkedHashMap<>();
    private String current;

    private Profiles(Path file) {
        this.file = file;
    }

    /** {@code $OTACTL_CONFIG}, else {@code $XDG_CONFIG_HOME/otactl/config}, else {@code ~/.config/otactl/config}. */
    public static Path defaultFile(Map<String, String> env) {
        String explicit = env.get("OTACTL_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("otactl").resolve("config");
    }

    /** The profiles in {@code file}; none when it does not exist yet. */
    public static Profiles load(Path file) {
        Profiles p = new Profiles(file);
        if (!Files.exists(file)) {
            return p;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
        String section = null;
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                sections.put(section, new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw CliFailure.usage(file + " line " + (i + 1) + ": expected name = value");
            }
            String k = line.substring(0, eq).strip();
            String v = line.substring(eq + 1).strip();
            if (section == null) {
                if (k.equals("current")) {
                    p.current = v;
                }
            } else {
                sections.get(section).put(k, v);
            }
        }
        sections.forEach((name, values) -> {
            if (values.containsKey("url") && values.containsKey("key")) {
                p.byName.put(name, new Profile(name, values.get("url"), values.get("key")));
            }
        });
        return p;
    }

    public Path file() {
        return file;
    }

    public Collection<Profile> all() {
        return byName.values();
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Profile require(String name) {
        return find(name).orElseThrow(() -> CliFailure.usage("no profile '" + name + "' in " + file
                + " (otactl profile list shows them)"));
    }

    /** The profile {@code profile use} chose (or the first one added). */
    public Optional<Profile> current() {
        return current == null ? Optional.empty() : find(current);
    }

    /** Adds or replaces a profile; the first one becomes current. */
    public void put(Profile profile) {
        byName.put(profile.name(), profile);
        if (current().isEmpty()) {
            current = profile.name();
        }
    }

    public boolean remove(String name) {
        boolean removed = byName.remove(name) != null;
        if (name.equals(current)) {
            current = byName.isEmpty() ? null : byName.keySet().iterator().next();
        }
        return removed;
    }

    public void use(String name) {
        require(name);
        current = name;
    }

    /** Writes the file owner-only: a temporary file created 0600 beside it, then moved over it. */
    public void save() {
        StringBuilder text = new StringBuilder("# otactl profiles: admin API URLs and keys (keep this file 0600)\n");
        if (current != null) {
            text.append("current = ").append(current).append('\n');
        }
        for (Profile p : byName.values()) {
            text.append('\n').append('[').append(p.name()).append("]\n")
                    .append("url = ").append(p.url()).append('\n')
                    .append("key = ").append(p.key()).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR)}
                        : new FileAttribute<?>[0]);
            }
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
                Files.setPosixFilePermissions(tmp, FILE); // the umask may have taken bits away, never added
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw CliFailure.usage("cannot write " + file + ": " + e.getFile() + " is in the way");
        } catch (IOException e) {
            throw CliFailure.usage("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Names in file order, for completion and listings. */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    public String currentName() {
        return current;
    }
}
