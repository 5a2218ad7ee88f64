package io.otaedge.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StoreOutageTest {

    @Test
    void redisFailuresAreOutagesWhereverTheyAreWrapped() {
        assertThat(StoreOutage.is(new RedisException("Connection disconnected"))).isTrue();
        assertThat(StoreOutage.is(new RedisCommandTimeoutException("Command timed out"))).isTrue();
        assertThat(StoreOutage.is(new CompletionException(new RedisConnectionException("refused")))).isTrue();
    }

    @Test
    void theChannelsOwnIOExceptionFromLettuceIsAnOutageButAnyOtherIsNot() {
        IOException reset = new IOException("Connection reset by peer");
        reset.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.lettuce.core.protocol.CommandHandler", "exceptionCaught", "CommandHandler.java", 1)});
        assertThat(StoreOutage.is(reset)).isTrue();
        assertThat(StoreOutage.is(new io.netty.channel.unix.Errors.NativeIoException("recvAddress", -104))).isTrue();
        assertThat(StoreOutage.is(new IOException("disk full"))).isFalse();
        assertThat(StoreOutage.is(new IllegalStateException("bug"))).isFalse();
    }
}
