package dev.myelin.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A JFR recording of the server over one measured phase of a scenario, summarised with {@link Profile}
 * into the report (printed, and in the JSON under {@code <scenario>_profile_<db>}). Without a server
 * process of the bench's own ({@code --url}) there is nothing to record.
 */
final class ProfiledPhase {
    private final Context c;
    private final String scenario;
    private final Optional<Path> recording;

    private ProfiledPhase(Context c, String scenario, Optional<Path> recording) {
        this.c = c;
        this.scenario = scenario;
        this.recording = recording;
    }

    /** Starts recording the server for {@code scenario}. */
    static ProfiledPhase start(Context c, String scenario) throws Exception {
        if (c.server().isEmpty()) {
            return new ProfiledPhase(c, scenario, Optional.empty());
        }
        Path file = c.server().get().dir().resolve(scenario + "-" + c.db() + ".jfr");
        try {
            // one sample per thread every 2 ms instead of profile's 10 ms: a 30 s run on two
            // cores otherwise yields only a few hundred samples
            c.server()
                    .get()
                    .jcmd(
                            "JFR.start",
                            "name=" + scenario,
                            "settings=profile",
                            "filename=" + file,
                            "jdk.ExecutionSample#period=2ms");
        } catch (java.io.IOException e) {
            c.server().get().jcmd("JFR.start", "name=" + scenario, "settings=profile", "filename=" + file);
        }
        return new ProfiledPhase(c, scenario, Optional.of(file));
    }

    /** Stops the recording and reports its summary. */
    void stopAndReport() throws Exception {
        if (recording.isEmpty()) {
            return;
        }
        c.server().get().jcmd("JFR.stop", "name=" + scenario);
        Profile.Summary summary = Profile.summarise(recording.get(), 15);
        ObjectNode node = c.report().extra.putObject(scenario.replace('-', '_') + "_profile_" + c.db());
        node.put("recording", recording.get().toString()).put("samples", summary.samples());
        node.set("top_frames", MatrixHttp.JSON.valueToTree(summary.topFrames()));
        node.set("top_myelin_frames", MatrixHttp.JSON.valueToTree(summary.topMyelinFrames()));
        node.set("top_packages", MatrixHttp.JSON.valueToTree(summary.topPackages()));
        System.out.println("JFR profile of the server during " + scenario + " (" + c.db() + "), " + summary.samples()
                + " execution samples, " + recording.get());
        print("top frames", summary.topFrames());
        print("first dev.myelin frame on the stack", summary.topMyelinFrames());
        print("top-frame packages", summary.topPackages());
    }

    private static void print(String title, List<Profile.Hot> hot) {
        System.out.println("  " + title + ":");
        for (Profile.Hot h : hot) {
            System.out.printf(java.util.Locale.ROOT, "    %5.1f%%  %6d  %s%n", h.percent(), h.samples(), h.method());
        }
    }
}
