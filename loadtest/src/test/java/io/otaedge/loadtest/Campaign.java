package io.otaedge.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import io.otaedge.loadtest.dialect.Dialect;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one simulation run upgrades its fleet to: a fresh product with a random firmware of a few
 * hundred KiB and a task for all its devices, plus a OneNET device {@code Authorization} for the
 * product and whatever the fleet's other dialects need ({@link Dialect#prepare}). Each run gets
 * its own product, so runs never see each other's devices or tokens.
 *
 * @param productId           the run's product
 * @param firmwareId          its firmware
 * @param version             the firmware's version (the devices start on {@link #FROM_VERSION})
 * @param size                firmware size in bytes
 * @param md5                 hex md5 of the firmware, computed here before the upload
 * @param oneNetAuthorization a device {@code Authorization} valid for the whole run
 * @param dialectAttributes   what the dialects' set-up put in every device's session (credentials)
 */
public record Campaign(String productId, String firmwareId, String version, long size, String md5,
                       String oneNetAuthorization, Map<String, Object> dialectAttributes) {

    /** The version every simulated device reports before its upgrade. */
    public static final String FROM_VERSION = "1.0.0";

    /**
     * Creates the product, uploads {@code ota.firmwareKiB} (default {@code defaultKiB}) random
     * KiB, starts a task, mints the OneNET authorization, then lets each of {@code dialects} add
     * its part.
     */
    public static Campaign prepare(String simulation, int defaultKiB, List<Dialect> dialects) {
        return prepare(simulation, defaultKiB, dialects, OtaAdmin.object());
    }

    /** As {@link #prepare(String, int, List)}, the task made with {@code taskFields} too (e.g. a rollout rate). */
    public static Campaign prepare(String simulation, int defaultKiB, List<Dialect> dialects, ObjectNode taskFields) {
        int kib = LoadSettings.integer("ota.firmwareKiB", defaultKiB);
        byte[] firmware = new byte[kib * 1024 + 17]; // an odd size: the last range is a short one
        SecureRandom random = new SecureRandom();
        random.nextBytes(firmware);
        String md5 = md5(firmware);
        String productId = "lt-" + simulation + "-" + Long.toString(System.currentTimeMillis(), 36)
                + "-" + Integer.toString(random.nextInt(1 << 20), 36);
        String version = "2.0." + (1 + random.nextInt(999));

        OtaAdmin admin = new OtaAdmin(LoadSettings.adminUrl(), LoadSettings.adminKey());
        admin.createProduct(productId, "load test " + simulation);
        JsonNode fw = admin.uploadFirmware(productId, version, "fw-" + simulation + ".bin", firmware);
        if (!md5.equals(fw.path("md5").asText()) || fw.path("size").asLong() != firmware.length) {
            throw new IllegalStateException("the uploaded firmware came back as " + fw + ", expected md5 " + md5
                    + " and size " + firmware.length);
        }
        String firmwareId = fw.get("id").asText();
        admin.createTask(productId, firmwareId, taskFields);
        String authorization = admin.oneNetAuthorization(productId, Duration.ofHours(12));
        Campaign campaign = new Campaign(productId, firmwareId, version, firmware.length, md5, authorization, Map.of());
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Dialect d : dialects) {
            attributes.putAll(d.prepare(new CampaignSetup(admin, campaign, firmware)));
        }
        return new Campaign(productId, firmwareId, version, firmware.length, md5, authorization, Map.copyOf(attributes));
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
