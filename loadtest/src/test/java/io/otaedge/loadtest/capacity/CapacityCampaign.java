package io.otaedge.loadtest.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.loadtest.OtaAdmin;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * What the measurement's devices upgrade to, made through the admin API as an operator would: a
 * product with a random firmware, a task for all its devices and every dialect's credential; a
 * product of FOG devices with the firmware as FOG's {@code mcu} module and its FOG file (which makes
 * FOG's task; in the first product it would be the newest task, and OneNET's devices would be
 * offered it); and a product without any task, whose devices check in between campaigns.
 */
record CapacityCampaign(String productId, String fogProductId, String idleProductId, String firmwareId,
                        String fogFirmwareId, String taskId,
                        String version, long size, String md5, String oneNetAuthorization, String idleOneNetAuthorization,
                        String fogAuthorization, String luatosProjectKey, String aliyunIotToken) {

    static final String FROM_VERSION = "1.0.0";

    static CapacityCampaign create(Fleet.Endpoints at, int firmwareKiB) {
        SecureRandom random = new SecureRandom();
        byte[] firmware = new byte[firmwareKiB * 1024 + 17];
        random.nextBytes(firmware);
        String run = Long.toString(System.currentTimeMillis(), 36);
        String productId = "cap-" + run;
        String fogProductId = "cap-" + run + "-fog";
        String idle = "cap-" + run + "-idle";
        String version = "2.0.0";
        OtaAdmin admin = new OtaAdmin(at.adminUrl(), at.adminKey());
        admin.createProduct(productId, "capacity measurement");
        admin.createProduct(fogProductId, "capacity measurement, FOG devices");
        admin.createProduct(idle, "capacity measurement, no task");
        JsonNode fw = admin.uploadFirmware(productId, version, "fw-capacity.bin", firmware);
        String md5 = md5(firmware);
        if (!md5.equals(fw.path("md5").asText())) {
            throw new IllegalStateException("the firmware came back as " + fw);
        }
        String taskId = admin.createTask(productId, fw.get("id").asText());
        JsonNode fogFw = admin.uploadFirmware(fogProductId, version, "mcu", "fw-fog.bin", firmware);
        String fogAuthorization = admin.fogAuthorization(fogProductId);
        ObjectNode file = OtaAdmin.object()
                .put("file_name", "fw-fog.bin")
                .put("file_url", "http://capacity.invalid/fw-fog.bin") // informational: devices get an edge URL
                .put("md5", md5)
                .put("size", (firmware.length + 1023) / 1024 + "kb")
                .put("ug_type", 0)
                .put("version", version)
                .put("status", 1);
        admin.createFogFile(at.deviceUrl(), fogAuthorization, fogProductId, file);
        return new CapacityCampaign(productId, fogProductId, idle, fw.get("id").asText(), fogFw.get("id").asText(), taskId, version,
                firmware.length, md5, admin.oneNetAuthorization(productId, Duration.ofHours(12)),
                admin.oneNetAuthorization(idle, Duration.ofHours(12)), fogAuthorization,
                admin.luatosProjectKey(productId), admin.aliyunIotToken(productId));
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
