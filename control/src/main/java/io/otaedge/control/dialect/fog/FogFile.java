package io.otaedge.control.dialect.fog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FOG "file": an operator's OTA release, mapped onto the catalog firmware it names (by module and
 * version, md5 checked) and onto one engine task. {@code status} 0 test (task paused), 1 online
 * (running), 2 invalid (stopped); {@code ota_type} 0 mcu, 1 wifi (the catalog module).
 */
public record FogFile(long id, String product, @JsonProperty("ota_type") int otaType,
                      @JsonProperty("file_name") String fileName, @JsonProperty("file_url") String fileUrl,
                      String size, String md5, String version, @JsonProperty("mac_range") List<String> macRange,
                      String customize, @JsonProperty("created_at") String createdAt,
                      @JsonProperty("updated_at") String updatedAt, String description, int status,
                      @JsonProperty("is_delete") boolean isDelete, String firmwareId, String taskId) {

    public static final int TEST = 0;
    public static final int ONLINE = 1;
    public static final int INVALID = 2;

    public static String module(int otaType) {
        return otaType == 1 ? "wifi" : "mcu";
    }

    /** The seed's file object, in the seed's field order (the catalog links stay internal). */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("product", product);
        m.put("ota_type", otaType);
        m.put("file_name", fileName);
        m.put("file_url", fileUrl);
        m.put("size", size);
        m.put("md5", md5);
        m.put("version", version);
        m.put("mac_range", macRange);
        m.put("customize", customize);
        m.put("created_at", createdAt);
        m.put("updated_at", updatedAt);
        m.put("description", description);
        m.put("status", status);
        m.put("is_delete", isDelete);
        m.put("extra", Map.of());
        return m;
    }

    /** The seed's PUT reply: the fields a PUT may change, in the same order. */
    public Map<String, Object> updateView() {
        Map<String, Object> m = view();
        m.keySet().retainAll(List.of("ota_type", "file_name", "file_url", "size", "md5", "version", "mac_range", "extra"));
        return m;
    }
}
