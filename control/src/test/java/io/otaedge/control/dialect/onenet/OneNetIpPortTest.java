package io.otaedge.control.dialect.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** cdn=false devices cannot resolve names: an edge registered under an IP address is usable as is, a host name is not. */
class OneNetIpPortTest {

    @Test
    void ipLiteralsAreRecognisedAndHostNamesAreNot() {
        assertThat(OneNetCheckHandler.isIpAddress("127.0.0.1:8080")).isTrue();
        assertThat(OneNetCheckHandler.isIpAddress("[2001:db8::1]:8080")).isTrue();
        assertThat(OneNetCheckHandler.isIpAddress("edge.example:8080")).isFalse();
        assertThat(OneNetCheckHandler.isIpAddress("edge-1:8080")).isFalse();
    }
}
