package shortener.web;

import shortener.repository.Links;

/**
 * Test-only: a handler that reaches past the service layer, which the layer rule must
 * refuse.
 */
class PlantedRepositoryAccess {

    Links links;

}
