package io.otaedge.control.task;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The first {@code limit} members of the union of several sorted sets (a task's per-bucket device
 * indexes), in the order one sorted set would keep them: by score, then by member. Each set is read a
 * page at a time, and a set is read further only when its page ran out while it could still hold the
 * next member, so a listing reads about {@code limit} entries in all, not {@code limit} from every set.
 */
final class BucketMerge {

    /** A sorted set's order: by score, then by member (device ids are ASCII, so UTF-16 order is byte order). */
    static final Comparator<ScoredValue<String>> ORDER =
            Comparator.<ScoredValue<String>>comparingDouble(ScoredValue::getScore).thenComparing(ScoredValue::getValue);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final List<Source> sources;
    private final int limit;
    private final int page;
    private final List<ScoredValue<String>> out;
    /** Where the listing resumes: only members after it (by {@link #ORDER}) are taken; null = from the first. */
    private final ScoredValue<String> after;

    private BucketMerge(RedisClusterAsyncCommands<String, String> redis, List<String> keys, int limit, ScoredValue<String> after) {
        this.redis = redis;
        this.limit = limit;
        this.after = after;
        // About twice each set's fair share, so that one round usually covers an even spread.
        this.page = Math.max(16, Math.min(limit, 2 * ((limit + keys.size() - 1) / keys.size())));
        this.sources = keys.stream().map(Source::new).toList();
        this.out = new ArrayList<>(Math.min(limit, 10_000));
    }

    static Mono<List<String>> first(RedisClusterAsyncCommands<String, String> redis, List<String> keys, int limit) {
        return after(redis, keys, null, limit).map(values -> values.stream().map(ScoredValue::getValue).toList());
    }

    /** The first {@code limit} members after {@code after} (null = from the first), with their scores. */
    static Mono<List<ScoredValue<String>>> after(RedisClusterAsyncCommands<String, String> redis, List<String> keys,
                                                 ScoredValue<String> after, int limit) {
        return limit <= 0 || keys.isEmpty() ? Mono.just(List.of()) : new BucketMerge(redis, keys, limit, after).round();
    }

    /** Reads the next page of every set whose page ran out (all at once), then takes what is decided. */
    private Mono<List<ScoredValue<String>>> round() {
        List<Mono<Void>> reads = new ArrayList<>();
        for (Source s : sources) {
            if (s.buffer.isEmpty() && !s.exhausted) {
                long from = s.next;
                reads.add(read(s.key, from)
                        .doOnNext(values -> {
                            // Members at the resume score but not after the resume point are read and dropped.
                            values.stream().filter(v -> after == null || ORDER.compare(v, after) > 0).forEach(s.buffer::add);
                            s.next += values.size();
                            s.exhausted = values.size() < page;
                        }).then());
            }
        }
        return Flux.merge(reads).then(Mono.defer(() -> {
            take();
            return out.size() >= limit || sources.stream().allMatch(s -> s.exhausted && s.buffer.isEmpty())
                    ? Mono.just(List.copyOf(out)) : round();
        }));
    }

    /** A page of one set: by rank from the start, or by rank among the members scored at least the resume score. */
    private Mono<List<ScoredValue<String>>> read(String key, long from) {
        if (after == null) {
            return Mono.fromCompletionStage(() -> redis.zrangeWithScores(key, from, from + page - 1));
        }
        return Mono.fromCompletionStage(() -> redis.zrangebyscoreWithScores(key,
                Range.from(Range.Boundary.including(after.getScore()), Range.Boundary.<Double>unbounded()),
                Limit.create(from, page)));
    }

    /** Takes the smallest head while every set that may hold more has a head to compare with. */
    private void take() {
        while (out.size() < limit) {
            Source min = null;
            for (Source s : sources) {
                if (s.buffer.isEmpty()) {
                    if (!s.exhausted) {
                        return;
                    }
                } else if (min == null || ORDER.compare(s.buffer.peekFirst(), min.buffer.peekFirst()) < 0) {
                    min = s;
                }
            }
            if (min == null) {
                return;
            }
            out.add(min.buffer.pollFirst());
        }
    }

    private static final class Source {
        final String key;
        final ArrayDeque<ScoredValue<String>> buffer = new ArrayDeque<>();
        long next;
        boolean exhausted;

        Source(String key) {
            this.key = key;
        }
    }
}
