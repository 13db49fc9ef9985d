/** What the homeserver keeps about application services: delivery positions and their room lists. */
package dev.myelin.storage.appservice;
