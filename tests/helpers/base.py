"""Who the tests are: the actor written in the journal by every test base."""

from qualite_app.storage.database import Actor

TEST_ACTOR = Actor("testeur", "Camille Testeur")
