package dev.myelin.testing;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The extension behind {@link FailOnPinning}: a {@link PinningRecorder} around each test. */
final class PinningExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PinningExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        FailOnPinning settings = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), FailOnPinning.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), FailOnPinning.class))
                .orElseThrow();
        context.getStore(NAMESPACE)
                .put("recorder", PinningRecorder.start(Duration.ofMillis(settings.thresholdMillis())));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PinningRecorder recorder = context.getStore(NAMESPACE).remove("recorder", PinningRecorder.class);
        if (recorder == null) {
            return;
        }
        List<PinningRecorder.Pin> pins = recorder.stop();
        if (!pins.isEmpty()) {
            throw new AssertionError(pins.size() + " virtual-thread pinning event(s) (jdk.VirtualThreadPinned) during "
                    + context.getDisplayName() + ":\n    "
                    + pins.stream().map(PinningRecorder.Pin::toString).collect(Collectors.joining("\n    ")));
        }
    }
}
