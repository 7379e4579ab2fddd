package shortener.service;

import java.util.List;

import shortener.domain.Link;

/**
 * One page of links, newest first.
 *
 * @param links the links on this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param totalLinks how many links there are in all
 */
public record LinkPage(List<Link> links, int page, int size, long totalLinks) {
}
