package io.otaedge.control.migration;

import static io.otaedge.control.migration.MigrationCalls.MERGE;
import static io.otaedge.control.migration.MigrationCalls.join;
import static io.otaedge.control.migration.MigrationCalls.oldTag;
import static io.otaedge.control.migration.MigrationCalls.pairs;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.control.dialect.xiaozhi.XiaozhiStore;
import java.util.Map;

/**
 * xiaozhi activations ({@code ota:{p:<pid>}:xz:act:<did>}), found with one SCAN, move to the device's bucket with
 * their TTL. A pending one's code must name the device's bucket ({@code code mod 64}) for a user's code to find it:
 * such a code moves along; a pending activation whose code does not is dropped with its code (the device gets a
 * new code at its next OTA call). A bound or activated one needs no code key and moves.
 */
final class XiaozhiActivations {

    private static final String INFIX = "}:xz:act:";

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private long moved;

    XiaozhiActivations(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async) {
        this.sync = sync;
        this.async = async;
    }

    /** Answers how many activations moved. */
    long migrate() {
        moved = 0;
        KeyScan.forEach(sync, "ota:{p:*}:xz:act:*", this::move);
        return moved;
    }

    private void move(String key) {
        int close = key.indexOf(INFIX);
        String pid = close < 0 ? "" : key.substring("ota:{p:".length(), close);
        if (pid.isEmpty() || pid.contains(":")) {
            return;
        }
        String did = key.substring(close + INFIX.length());
        Map<String, String> fields = sync.hgetall(key);
        String code = fields.get("code");
        String oldCode = oldTag(pid) + ":xz:code:" + code;
        boolean pending = "PENDING".equals(fields.get("state"));
        boolean codeFits = code != null && XiaozhiStore.bucketOf(code) == RedisKeys.bucket(did);
        String target = XiaozhiStore.activationKey(pid, did);
        // An activation already in the bucket is newer (opened since): it stays whole.
        if (!fields.isEmpty() && (!pending || codeFits) && sync.exists(target) == 0) {
            Long ttl = sync.pttl(key);
            join(MERGE.call(async, new String[] {target}, pairs(fields)));
            if (ttl != null && ttl > 0) {
                sync.pexpire(target, ttl);
            }
            String codeDevice = pending ? sync.get(oldCode) : null;
            Long codeTtl = codeDevice == null ? null : sync.pttl(oldCode);
            if (codeDevice != null && codeTtl != null && codeTtl > 0) {
                sync.set(XiaozhiStore.codeKey(pid, code), codeDevice, SetArgs.Builder.nx().px(codeTtl));
            }
            moved++;
        }
        sync.del(key);
        if (code != null) {
            sync.del(oldCode);
        }
    }
}
