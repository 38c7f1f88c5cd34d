-- rtcsim seed: a handful of users for tests and the demo. Loads into every schema (ocs2007, lync2010,
-- lync2013): it only fills tables the three share. Plain T-SQL INSERTs of the SPEC 7 subset.
--
-- Users (domain foo.com):
--   1001 ann    migrating: contacts in two groups, a distribution-group entry, herself on her own list,
--               rows in every table of the delete plan
--   1002 bob    migrating: has ann on his list
--   1003 carol  migrating: a contact in no group
--   1004 dave   stays on Lync: has ann and bob on his list, ann in his containers, delegates, subscribers
--   1005 erin   an empty contact list
--   1006 Frank.Muller  mixed-case address, non-ASCII and comma in names (CSV quoting)

INSERT INTO dbo.Resource (ResourceId, UserAtHost) VALUES
    (1001, N'ann@foo.com'),
    (1002, N'bob@foo.com'),
    (1003, N'carol@foo.com'),
    (1004, N'dave@foo.com'),
    (1005, N'erin@foo.com'),
    (1006, N'Frank.Muller@Foo.com');

INSERT INTO dbo.ResourceDirectory (ResourceId, AdDisplayName) VALUES
    (1001, N'Ann Archer'),
    (1002, N'Bob Baker'),
    (1003, N'Carol Cole'),
    (1004, N'Dave Dunn'),
    (1005, N'Erin Ezra'),
    (1006, N'Frank Müller');

-- Groups: '~' is the default group; ann's group 3 is a distribution group (ExternalUri set).
INSERT INTO dbo.ContactGroup (OwnerId, GroupNumber, DisplayName, ExternalUri) VALUES
    (1001, 1, N'~', NULL),
    (1001, 2, N'Team', NULL),
    (1001, 3, N'Sales DL', N'sales@foo.com'),
    (1002, 1, N'~', NULL),
    (1002, 2, N'Friends', NULL),
    (1003, 1, N'~', NULL),
    (1004, 1, N'~', NULL),
    (1004, 2, N'Colleagues', NULL),
    (1006, 1, N'~', NULL),
    (1006, 2, N'Sales, EMEA', NULL);

INSERT INTO dbo.Contact (OwnerId, BuddyId, DisplayName, SubscribePresence) VALUES
    (1001, 1001, N'Me', 1),
    (1001, 1002, N'Bob B', 1),
    (1001, 1003, NULL, 1),
    (1001, 1004, N'Dave', 0),
    (1002, 1001, N'Ann', 1),
    (1002, 1003, N'Carol', 1),
    (1003, 1004, N'Dave D', 1),
    (1004, 1001, N'Ann A', 1),
    (1004, 1002, N'Bob', 1),
    (1006, 1001, N'Ann "the boss" Archer', 1),
    (1006, 1004, N'Dave Dünn', 1);

-- ann-bob is in two groups; carol's contact dave is in none (goes to the default group on export).
INSERT INTO dbo.ContactGroupAssoc (OwnerId, BuddyId, GroupNumber) VALUES
    (1001, 1001, 1),
    (1001, 1002, 1),
    (1001, 1002, 2),
    (1001, 1003, 2),
    (1001, 1004, 1),
    (1002, 1001, 2),
    (1002, 1003, 1),
    (1004, 1001, 2),
    (1004, 1002, 1),
    (1006, 1001, 2),
    (1006, 1004, 2);

-- Delete-plan tables: ann (1001) owns rows everywhere; dave (1004) owns rows that name ann and must stay.
INSERT INTO dbo.Container (OwnerId, ContainerNum, Version) VALUES
    (1001, 100, 3), (1001, 200, 1), (1004, 100, 2);

INSERT INTO dbo.ContainerMemberUser (OwnerId, ContainerNum, MemberId) VALUES
    (1001, 100, 1002), (1004, 100, 1001);

INSERT INTO dbo.CachedContainerMember (OwnerId, ContainerNum, MemberId) VALUES
    (1001, 100, 1002), (1001, 200, 1004), (1004, 100, 1001);

INSERT INTO dbo.PromptedSubscriber (OwnerId, SubscriberId, PromptedAt) VALUES
    (1001, 1002, '2024-03-01 09:30:00'), (1004, 1001, '2024-03-02 10:00:00');

INSERT INTO dbo.Delegate (OwnerId, DelegateId, DelegateType) VALUES
    (1001, 1002, 1), (1004, 1001, 1);

INSERT INTO dbo.ConferenceParticipant (ConferenceId, EnterpriseId, ParticipantRole) VALUES
    (7001, 1001, 1), (7001, 1004, 0), (7002, 1004, 1);

INSERT INTO dbo.UserPolicy (ResourceId, PolicyType, PolicyInstance) VALUES
    (1001, 1, '6F9619FF-8B86-D011-B42D-00C04FC964FF'), (1001, 2, NULL), (1004, 1, NULL);

INSERT INTO dbo.ResourcePhone (ResourceId, PhoneType, PhoneUri) VALUES
    (1001, 1, N'tel:+15551230001'), (1004, 1, N'tel:+15551230004');

INSERT INTO dbo.RtcItem (ItemId, ResourceId, ItemType, ItemData, LastModified) VALUES
    (1, 1001, 1, 0x0A0B0C, '2024-03-01 09:30:00.123'),
    (2, 1001, 2, NULL, '2024-03-01 09:31:00'),
    (3, 1004, 1, 0x01, '2024-03-01 09:32:00');

INSERT INTO dbo.PUIDDirectory (ResourceId, PUID, DeviceId) VALUES
    (1001, 9000000001, NULL), (1004, 9000000004, '0E984725-C51C-4BF4-9960-E1C80E27ABA0');

INSERT INTO dbo.PublishedInstance (PublisherId, ContainerNum, CategoryId, InstanceNum, InstanceData, LastModified) VALUES
    (1001, 100, 3, 1, 0x3C7374617465202F3E, '2024-03-01 09:30:00'),
    (1004, 100, 3, 1, NULL, '2024-03-01 09:30:00');
