package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The device bucket is part of every device key's name: it must never change between versions (the
 * values below are CRC-32 mod 64, as any language computes it), and all of a device's keys share one slot.
 */
class RedisKeysTest {

    @Test
    void aDevicesBucketIsCrc32Mod64AndStableAcrossVersions() {
        assertThat(RedisKeys.bucket("0")).isEqualTo(33);
        assertThat(RedisKeys.bucket("dev-a")).isEqualTo(34);
        assertThat(RedisKeys.bucket("861551056414001")).isEqualTo(20);
        assertThat(RedisKeys.bucket("aa:bb:cc:00:14:01")).isEqualTo(56);
    }

    @Test
    void everyKeyOfADeviceSharesItsBucketsSlotAndAProductsBucketsUseManySlots() {
        String device = "aa:bb:cc:00:14:01";
        int slot = SlotHash.getSlot(RedisKeys.deviceTag("p1", device));
        assertThat(SlotHash.getSlot(RedisKeys.device("p1", device))).isEqualTo(slot);
        assertThat(SlotHash.getSlot(RedisKeys.deviceTask("p1", "t1", device))).isEqualTo(slot);
        assertThat(SlotHash.getSlot(RedisKeys.deviceToken("p1", "t1", device))).isEqualTo(slot);
        int bucket = RedisKeys.bucket(device);
        assertThat(SlotHash.getSlot(RedisKeys.taskDevices("p1", "t1", bucket))).isEqualTo(slot);
        assertThat(SlotHash.getSlot(RedisKeys.taskServedBytes("p1", "t1", bucket))).isEqualTo(slot);
        assertThat(SlotHash.getSlot(RedisKeys.taskServedEnd("p1", "t1", bucket))).isEqualTo(slot);
        Set<Integer> slots = new HashSet<>();
        for (int b = 0; b < RedisKeys.DEVICE_BUCKETS; b++) {
            slots.add(SlotHash.getSlot(RedisKeys.bucketTag("p1", b)));
        }
        assertThat(slots).as("64 buckets, 64 slots").hasSize(RedisKeys.DEVICE_BUCKETS);
    }
}
