package io.otaedge.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScoredValue;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.control.ControlHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Merging sorted sets page by page gives exactly the head of their union in sorted-set order (score,
 * then member), also when one set holds most members and must be read over several pages.
 */
class BucketMergeTest {

    @Test
    void aSkewedSetReadOverSeveralPagesMergesIntoTheUnionsExactOrder() {
        var redis = TestRedis.connector();
        String prefix = ControlHarness.uniqueId("merge");
        List<String> keys = List.of(prefix + ":a", prefix + ":b", prefix + ":c", prefix + ":empty");
        List<ScoredValue<String>> all = new ArrayList<>();
        Random random = new Random(14);
        for (int i = 0; i < 300; i++) {
            // Most members in the first set, with many equal scores so that ties are ordered by member.
            String key = keys.get(i % 10 == 0 ? 1 : i % 10 == 1 ? 2 : 0);
            ScoredValue<String> v = ScoredValue.just(random.nextInt(40), "d" + i);
            redis.sync().zadd(key, v.getScore(), v.getValue());
            all.add(v);
        }
        all.sort(BucketMerge.ORDER);
        for (int limit : new int[] {1, 7, 50, 299, 300, 1000}) {
            List<String> merged = BucketMerge.first(redis.async(), keys, limit).block();
            assertThat(merged).as("limit " + limit)
                    .containsExactlyElementsOf(all.subList(0, Math.min(limit, all.size())).stream().map(ScoredValue::getValue).toList());
        }
        assertThat(BucketMerge.first(redis.async(), keys, 0).block()).isEmpty();
    }
}
