package io.otaedge.cli.http;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A file as a request body with a {@code Content-Length}, reporting the bytes handed to the connection and
 * digesting them on the way. The client may subscribe again (a retried request): each subscription starts
 * its count and digests afresh, so both describe the last complete sending.
 */
final class FileUpload implements HttpRequest.BodyPublisher {

    private final HttpRequest.BodyPublisher file;
    private final LongConsumer sent;
    private volatile Digests digests = new Digests();

    FileUpload(Path path, LongConsumer sent) throws FileNotFoundException {
        this.file = HttpRequest.BodyPublishers.ofFile(path);
        this.sent = sent;
    }

    @Override
    public long contentLength() {
        return file.contentLength();
    }

    Digests digests() {
        return digests;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Digests d = new Digests();
        digests = d;
        file.subscribe(new Flow.Subscriber<ByteBuffer>() {
            private long total;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                sent.accept(0);
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                d.update(item);
                total += item.remaining();
                sent.accept(total);
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
