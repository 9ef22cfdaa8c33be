package io.lminspect.check;

/** One policy: turns facts about an Inspection into findings. */
public interface Check {
    void run(Inspection in);
}
