package dev.ferry.client;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that calls {@code onProgress} each time the HTTP client takes another part of it,
 * which it does only as fast as the connection accepts bytes: a server that stops reading the upload
 * stops the calls, and that is how a stall during the upload is noticed. Otherwise passes everything
 * through to the wrapped body unchanged.
 */
final class ProgressPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher body;
    private final Runnable onProgress;

    ProgressPublisher(HttpRequest.BodyPublisher body, Runnable onProgress) {
        this.body = body;
        this.onProgress = onProgress;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                onProgress.run();
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                onProgress.run();
                subscriber.onComplete();
            }
        });
    }
}
