CREATE TABLE hello_greetings (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
