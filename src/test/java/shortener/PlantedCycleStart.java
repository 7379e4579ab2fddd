package shortener;

/** Test-only: one half of a planted cycle between shortener and ratelimit. */
public class PlantedCycleStart {

    ratelimit.PlantedCycleEnd next;

}
