package io.otaedge.control.dialect.hawkbit;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.task.UpgradeMode;
import io.otaedge.control.task.UpgradeTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DDI replies as hawkBit's {@code hawkbit-ddi-api} names their fields ({@code DdiControllerBase},
 * {@code DdiDeploymentBase}, {@code DdiChunk}, {@code DdiArtifact}, {@code DdiCancel}); mapping only.
 */
final class HawkbitReplies {

    /** hawkBit's name for the part of the default module: the operating system image. */
    static final String DEFAULT_PART = "os";

    private HawkbitReplies() {
    }

    /** The controller base: polling sleep and the links to whatever the device should do next. */
    static Map<String, Object> base(String sleep, Map<String, Object> links) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("config", Map.of("polling", Map.of("sleep", sleep)));
        if (!links.isEmpty()) {
            body.put("_links", links);
        }
        return body;
    }

    static Map<String, Object> href(String url) {
        return Map.of("href", url);
    }

    /**
     * The {@code c} query of a deploymentBase link: hawkBit's devices (and caches) see a new URL whenever the
     * action changes; here the task, its package and its mode make it.
     */
    static String changeHash(UpgradeTask task, Firmware pkg) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((task.id() + "/" + pkg.id() + "/" + task.spec().offer().mode())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** {@code forced} for a task the device must take, {@code attempt} when its user may decline. */
    static String handling(UpgradeTask task) {
        return task.spec().offer().mode() == UpgradeMode.CONFIRM ? "attempt" : "forced";
    }

    /**
     * A deployment: one chunk (the package's module) with one artifact; {@code downloadUrl} null leaves out
     * the artifact's links (the installed base of a finished action: its token is gone).
     */
    static Map<String, Object> deployment(long actionId, UpgradeTask task, Firmware pkg, String downloadUrl) {
        Map<String, Object> hashes = new LinkedHashMap<>();
        if (pkg.sha1() != null) {
            hashes.put("sha1", pkg.sha1());
        }
        hashes.put("md5", pkg.md5());
        hashes.put("sha256", pkg.sha256());
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("filename", pkg.fileName());
        artifact.put("hashes", hashes);
        artifact.put("size", pkg.size());
        if (downloadUrl != null) {
            // Both names: SWUpdate takes "download" (https) first and "download-http" otherwise.
            artifact.put("_links", Map.of("download", href(downloadUrl), "download-http", href(downloadUrl)));
        }
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("part", Firmware.DEFAULT_MODULE.equals(pkg.module()) ? DEFAULT_PART : pkg.module());
        chunk.put("version", pkg.version());
        chunk.put("name", pkg.module());
        chunk.put("artifacts", List.of(artifact));
        Map<String, Object> deployment = new LinkedHashMap<>();
        String handling = handling(task);
        deployment.put("download", handling);
        deployment.put("update", handling);
        deployment.put("chunks", List.of(chunk));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", Long.toString(actionId));
        body.put("deployment", deployment);
        return body;
    }

    /** A cancellation: the action to stop, which is the action itself here. */
    static Map<String, Object> cancel(long actionId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", Long.toString(actionId));
        body.put("cancelAction", Map.of("stopId", Long.toString(actionId)));
        return body;
    }
}
