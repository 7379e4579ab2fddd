package ratelimit;

/** Test-only: the other half of a planted cycle between shortener and ratelimit. */
public class PlantedCycleEnd {

    shortener.PlantedCycleStart back;

}
