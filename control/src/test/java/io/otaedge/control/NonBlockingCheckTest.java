package io.otaedge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/** Proves the BlockHound check the server tests rely on is really armed on the threads that matter. */
class NonBlockingCheckTest {

    @BeforeAll
    static void install() {
        NonBlockingCheck.install();
    }

    @Test
    void blockingOnAReactorParallelThreadIsCaught() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(Schedulers.newParallel("probe-parallel", 1)).block())
                .hasCauseInstanceOf(BlockingOperationError.class);
        NonBlockingCheck.forget("probe-parallel");
    }

    @Test
    void blockingOnAReactorNettyEventLoopIsCaught() throws Exception {
        LoopResources loops = LoopResources.create("probe-loop", 1, true);
        try {
            EventLoop loop = loops.onServer(false).next().next();
            assertThatThrownBy(() -> loop.submit(() -> {
                Thread.sleep(1);
                return null;
            }).get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BlockingOperationError.class);
        } finally {
            loops.disposeLater().block();
            NonBlockingCheck.forget("probe-loop");
        }
    }

    @Test
    void blockingOnTheBoundedElasticSchedulerIsAllowed() {
        assertThat(Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(Schedulers.boundedElastic()).block()).isEqualTo(1);
    }
}
