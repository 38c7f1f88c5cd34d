-- Contact lists of the exportcontacts end-to-end tests (rtcsim, SPEC 7 contact tables).
-- Domain export-e2e.example.com. The matching AD users are seeded by rtc_e2e_test.go:
--   ann, bob, dora, hank  SIP-enabled, homed here (hank under a sub-OU)
--   carl                  SIP-enabled, AD account disabled, homed here
--   eve                   SIP-enabled, no Resource row here (homed elsewhere)
--   fred                  SIP-enabled, a Resource row only as a buddy (not homed here)
--   gina                  not SIP-enabled (msRTCSIP-UserEnabled FALSE), homed here
INSERT INTO Resource (ResourceId, UserAtHost) VALUES
  (1, 'ann@export-e2e.example.com'),
  (2, 'bob@export-e2e.example.com'),
  (3, 'carl@export-e2e.example.com'),
  (4, 'dora@export-e2e.example.com'),
  (6, 'fred@export-e2e.example.com'),
  (7, 'gina@export-e2e.example.com'),
  (8, 'Hank@Export-E2E.example.com'),
  (20, 'ext@partner.com'),
  (21, 'bad@bad_domain.com');

INSERT INTO ResourceDirectory (ResourceId, AdDisplayName) VALUES
  (1, 'Ann'), (2, 'Bob'), (3, 'Carl'), (4, 'Dora'), (7, 'Gina'), (8, 'Hank');

-- ann: the default group, a group with a comma, group 11 (not 1), a distribution group.
INSERT INTO ContactGroup (OwnerId, GroupNumber, DisplayName, ExternalUri) VALUES
  (1, 1, N'~', NULL),
  (1, 2, N'Friends, Family', NULL),
  (1, 11, N'Eleven', NULL),
  (1, 4, N'Sales DL', N'sip:sales-dl@export-e2e.example.com'),
  (2, 1, N'~', NULL),
  (2, 2, N'Team "A"', NULL),
  (3, 1, N'~', NULL),
  (4, 1, N'~', NULL),
  (7, 1, N'~', NULL),
  (8, 1, N'~', NULL),
  (8, 3, N'Ünïcode Grüppe', NULL);

INSERT INTO Contact (OwnerId, BuddyId, DisplayName, SubscribePresence) VALUES
  (1, 1, N'Me', 0),
  (1, 2, N'Bob, Jr.', 1),
  (1, 6, NULL, 1),
  (1, 8, N'Hank', 1),
  (1, 20, N'Partner "P"', 1),
  (1, 21, N'Bad', 1),
  (2, 1, N'Ann', 1),
  (2, 4, N'', 1),
  (3, 2, N'Bob', 1),
  (7, 1, N'Ann', 1),
  (8, 2, N'Bob', 1);

-- ann's fred (6) is in no group; hank (8) only in the distribution group.
INSERT INTO ContactGroupAssoc (OwnerId, BuddyId, GroupNumber) VALUES
  (1, 1, 1),
  (1, 2, 1),
  (1, 2, 2),
  (1, 8, 4),
  (1, 20, 11),
  (1, 21, 1),
  (2, 1, 2),
  (2, 4, 1),
  (3, 2, 1),
  (7, 1, 1),
  (8, 2, 3);
