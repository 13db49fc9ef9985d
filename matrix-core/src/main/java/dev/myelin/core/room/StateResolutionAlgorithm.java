package dev.myelin.core.room;

/** Which state resolution algorithm a room version uses. */
public enum StateResolutionAlgorithm {
    /** Room version 1. */
    V1,
    /** Room versions 2 to 11. */
    V2,
    /** Room version 12: v2 with the create event's special handling and empty-set start state. */
    V2_1
}
